import type { DemoData } from './demo-data.js';

/**
 * What a newcomer reads after the demo is loaded: one API key per demo organisation (shown
 * once: only their hashes are stored) and where to use them, at `url`, the address of the
 * server that serves this data.
 */
export const demoNotice = (loaded: DemoData, where: string, url: string): string =>
  [
    `Loaded ${String(loaded.families)} demo families into ${where}.`,
    '',
    'API keys (shown once; each sees the families its organisation leads or was referred):',
    ...loaded.keys.map(([name, key]) => `  ${name}:\n    ${key}`),
    '',
    `Sign in at ${url}/ with one of them, or open ${url}/graphql (GraphiQL) and enter it there.`,
    'Lost keys cannot be recovered: issue new ones with the administrator key (README, "New API keys").',
    '',
  ].join('\n');

export const DEMO_ALREADY_LOADED = 'The demo data is already in this store (its API keys were printed when it was loaded; README, "New API keys", says how to issue new ones).\n';
