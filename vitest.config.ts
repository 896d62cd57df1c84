import { defineConfig } from 'vitest/config';

// Test tiers are chosen by file suffix, so each tier runs alone:
//   npx vitest run --project unit   (*.unit.test.ts: pure, in memory)
//   npx vitest run --project contract (test/contract: every event-store adapter)
//   npx vitest run --project int    (*.int.test.ts: real SQLite files, child processes)
//   npx vitest run --project e2e    (*.e2e.test.ts: real HTTP server on a loopback port)
//   npx vitest run --project browser (test/browser: Chromium driving the web app; skipped, with the reason printed, without Chromium)
const tier = (name: string, include: string[], testTimeout: number) => ({
  extends: true as const,
  test: { name, include, testTimeout, hookTimeout: testTimeout },
});

export default defineConfig({
  // graphql ships ESM and CommonJS builds; @graphql-tools loads the CommonJS one, so tests must
  // too, or graphql-js sees two copies of itself ("Cannot use GraphQLSchema from another realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    environment: 'node',
    pool: 'forks',
    projects: [
      tier('unit', ['**/*.unit.test.ts'], 10_000),
      tier('contract', ['test/contract/**/*.contract.test.ts'], 60_000),
      tier('int', ['**/*.int.test.ts'], 180_000),
      tier('e2e', ['**/*.e2e.test.ts'], 60_000),
      tier('browser', ['test/browser/**/*.browser.test.ts'], 120_000),
    ],
    exclude: ['**/node_modules/**', '**/data/**'],
  },
});
