import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

// Regression: a variable with a value its type rejects (a word for an enum, a word for an Int)
// made graphql-jit return an error without `extensions`; the error mapping read
// `extensions.code` and threw, and the client got a 500 "Unexpected error.".
const ADMIN = 'regression-admin-key-0123456789ab';
const temp = makeTempDir('tracker-regression-');
let tracker: Tracker;
beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('regression: a rejected variable value is BAD_USER_INPUT, not a 500', () => {
  it.each([
    ['an enum', 'mutation($input: AddRelativeInput!) { addRelative(input: $input) { revision } }', { input: { familyId: 'f', relativeId: 'r', relationship: 'NEIGHBOUR', givenName: 'x' } }],
    ['an Int', 'query($n: Int) { families(first: $n) { totalCount } }', { n: 'many' }],
  ])('%s', async (_kind, query, variables) => {
    const response = await postGraphQL(tracker.url, ADMIN, query, variables);
    expect(response.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
