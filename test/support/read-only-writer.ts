import type { FamilyWriter } from '../../schema/context.js';

/** For query-only tests and benchmarks: any write fails loudly. */
export const readOnlyWriter: FamilyWriter = {
  execute: () => Promise.reject(new Error('read-only context: no writes expected')),
  waitFor: () => Promise.resolve(false),
  executeOrganization: () => Promise.reject(new Error('read-only context: no writes expected')),
  now: () => new Date().toISOString(),
  newId: () => 'unused',
  newApiKey: () => ({ key: 'unused', hash: 'unused' }),
  logAccess: () => Promise.resolve(),
};
