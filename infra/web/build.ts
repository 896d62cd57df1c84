import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { printSchema } from 'graphql';
import { build } from 'vite';
import { buildSchema } from '../../schema/index.js';
import { apiSpec } from './forms-spec.js';

/**
 * Builds the web app into infra/web/dist with Vite (offline: only npm packages), unless the
 * build there was made from exactly the current sources and schema (a hash of them is kept in
 * dist/.source-hash). `npm start` runs it first (prestart), so `npm ci && npm start` serves the
 * app with no other step; the browser tests run it too.
 */
export const WEB_ROOT = import.meta.dirname;
export const WEB_DIST = join(WEB_ROOT, 'dist');
const HASH_FILE = join(WEB_DIST, '.source-hash');
const GENERATED = join(WEB_ROOT, 'src/generated');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === GENERATED) return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

const sourceHash = (schemaText: string): string => {
  const hash = createHash('sha256').update(schemaText);
  for (const file of [join(WEB_ROOT, 'index.html'), join(WEB_ROOT, 'build.ts'), join(WEB_ROOT, 'forms-spec.ts'), ...filesUnder(join(WEB_ROOT, 'src')).sort()]) {
    hash.update(relative(WEB_ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex');
};

/** Builds when stale; returns whether it built. */
export const buildWebApp = async (log: (line: string) => void = () => undefined): Promise<boolean> => {
  const schema = buildSchema({ version: 'build', eventStoreKind: 'sqlite' });
  const hash = sourceHash(printSchema(schema));
  if (existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8') === hash) return false;
  log('building the web app (infra/web) ...');
  mkdirSync(GENERATED, { recursive: true });
  writeFileSync(join(GENERATED, 'api-spec.json'), `${JSON.stringify(apiSpec(schema), null, 1)}\n`);
  await build({
    root: WEB_ROOT,
    base: '/',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: WEB_DIST, emptyOutDir: true, chunkSizeWarningLimit: 1_000 },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  });
  writeFileSync(HASH_FILE, hash);
  log('web app built into infra/web/dist');
  return true;
};

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  await buildWebApp((line) => process.stderr.write(`${line}\n`));
}
