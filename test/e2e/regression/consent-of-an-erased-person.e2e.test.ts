import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, postGraphQL } from '../../support/graphql-client.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { filesHolding, mutateOk, mutation } from '../../support/probe-support.js';

/**
 * Regression (found by a probe; issue 13 item 4, erasure): docs/ERASURE.md says "After an erasure nothing personal can
 * be recorded about the person (INVALID_TRANSITION)". The check looks for a `personal` part in
 * the new events, and ConsentGiven has none (its purposes are free text outside `personal`), so
 * a consent "given" by a person erased at their own request is recorded, in plaintext, and then
 * covers sharing the family like any other (docs/HANDOFFS.md: any consent on the family counts).
 * And the purposes of a consent the person gave before the erasure stay readable on the tombstone.
 */
const ADMIN = 'probe-erased-consent-admin-key-01234';
const temp = makeTempDir('tracker-probe-erased-consent-');
let tracker: Tracker;
let familyId = '';
const family = async () =>
  dataOf(await postGraphQL(tracker.url, ADMIN, 'query($id: ID!) { family(id: $id) { revision relatives { id erased consents { id purposes } } } }', { id: familyId })).family;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  await mutateOk(tracker.url, ADMIN, 'registerOrganization', { organizationId: 'partner', name: 'partner', kind: 'LEGAL_SERVICE_PROVIDER' }, 'replayed');
  familyId = (await mutateOk(tracker.url, ADMIN, 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await mutateOk(tracker.url, ADMIN, 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Consentcanarymother' });
  await mutateOk(tracker.url, ADMIN, 'giveConsent', { familyId, consentId: 'before', personId: 'mother', purposes: ['Consentcanarybefore reunite in Tegucigalpa'], recipientOrganizationIds: ['partner'] });
  await mutateOk(tracker.url, ADMIN, 'eraseSubject', { familyId, subjectId: 'mother', reason: 'SUBJECT_REQUEST' });
}, 60_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('consent and an erased person', () => {
  it('a new consent from the erased person is refused (INVALID_TRANSITION) and records nothing', async () => {
    const before = (await family()).revision;
    const response = await mutation(tracker.url, ADMIN, 'giveConsent', { familyId, consentId: 'after', personId: 'mother', purposes: ['access', 'Consentcanaryafter'], recipientOrganizationIds: ['partner'] });
    expect(response.errors?.[0]?.extensions.code).toBe('INVALID_TRANSITION');
    expect((await family()).revision).toBe(before);
  });

  it("the erased person's earlier consent shows no free text of theirs", async () => {
    const mother = (await family()).relatives.find((relative: { id: string }) => relative.id === 'mother');
    expect(mother.erased).toBe(true);
    expect(JSON.stringify(mother)).not.toContain('Consentcanary');
  });

  it('no free text recorded for the erased person is in a file', async () => {
    await tracker.stop();
    expect(filesHolding(temp.dir, 'Consentcanaryafter')).toEqual([]);
  });
});
