# The tracker, built from this repository. better-sqlite3 compiles from source here, so the
# build stage has a C++ toolchain; the runtime stage does not.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npx tsc --noEmit -p . && npm run build:web && npm prune --omit=dev

FROM node:20-bookworm-slim
# Keys in a volume of their own (back it up apart from /data); or supply TRACKER_MASTER_KEY_FILE.
ENV NODE_ENV=production TRACKER_DATA_DIR=/data TRACKER_KEY_DIR=/keys PORT=4000 TRACKER_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data /keys && chown node:node /data /keys && chmod 0700 /data /keys
USER node
VOLUME ["/data", "/keys"]
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "infra/main.ts"]
