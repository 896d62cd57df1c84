import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';

/** Where build.ts writes the app. */
const DIST = join(import.meta.dirname, 'dist');

/**
 * Only this origin: the app loads nothing from anywhere else and talks only to /graphql here
 * (a second guard beside the app's own code; the browser tests check it with the network cut).
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The web app at `/` (infra/web/dist, built by `npm start`'s prestart or build.ts): hashed
 * assets are cached for a year, index.html never. Without a build, `/` says how to make one.
 */
export const serveWebApp = (app: Express): void => {
  app.use((req, res, next) => {
    if (req.path === '/' || req.path.startsWith('/assets/')) res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    next();
  });
  app.use('/assets', express.static(join(DIST, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.get('/', (_req, res) => {
    const index = join(DIST, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The web app is not built yet: run `npm start` (it builds it first) or `npm run build:web`.\n');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
};
