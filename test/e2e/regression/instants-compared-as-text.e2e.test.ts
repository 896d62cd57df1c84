import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression (issue 12, finding 4): expiries were compared as text. A FULL grant whose
 * `expiresAt` was written with `+12:00`, three hours in the past, was accepted and honoured (the
 * same instant in `Z` was refused); an expiry written with a negative offset (all of Central
 * America) counted as hours earlier than it is. Now every DateTime is normalised to UTC where it
 * enters and compared as an instant, for grants and referrals alike.
 */
const ADMIN = 'instants-admin-key-0123456789ab';
const HOUR = 3_600_000;
const temp = makeTempDir('tracker-instants-');
let tracker: Tracker;
let lead = '';
let partner = '';
const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);

/** `now + ms` written as local time at the given offset, e.g. `2024-06-01T12:00:00+12:00`. */
const written = (ms: number, offset: '-12:00' | '+12:00' | '+14:00' | 'Z'): string => {
  const minutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * Number(offset.slice(1, 3)) * 60;
  return `${new Date(Date.now() + ms + minutes * 60_000).toISOString().slice(0, 19)}${offset}`;
};

/** A family with the consent the grant and the referral below need (issue 14, item 3). */
const openFamily = async (): Promise<string> => {
  const id = dataOf(await gql(lead, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
  dataOf(await gql(lead, 'mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "consenting", givenName: "A", birthDate: "2012-01-01", nationality: "HN" }) { revision } }', { id }));
  dataOf(await gql(lead, 'mutation($id: ID!) { giveConsent(input: { familyId: $id, consentId: "consent", personId: "consenting", purposes: ["legal", "access"], recipientOrganizationIds: ["partner"] }) { revision } }', { id }));
  return id;
};

const grant = (familyId: string, expiresAt: string) =>
  gql(lead, 'mutation($id: ID!, $e: DateTime) { grantAccess(input: { familyId: $id, grantId: "g", organizationId: "partner", scope: FULL, expiresAt: $e }) { revision } }', { id: familyId, e: expiresAt });
const refer = (familyId: string, expiresAt: string) =>
  gql(lead, 'mutation($id: ID!, $e: DateTime) { referFamily(input: { familyId: $id, referralId: "r", toOrganizationId: "partner", purpose: "legal", scope: FULL, expiresAt: $e }) { revision } }', { id: familyId, e: expiresAt });
const partnerSees = async (familyId: string): Promise<boolean> =>
  dataOf(await gql(partner, 'query($id: ID!) { family(id: $id) { id } }', { id: familyId })).family !== null;

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN });
  await registerOrganization(tracker.url, ADMIN, 'lead');
  await registerOrganization(tracker.url, ADMIN, 'partner');
  lead = await issueKey(tracker.url, ADMIN, 'lead', 'lead-advocate', 'ADVOCATE');
  partner = await issueKey(tracker.url, ADMIN, 'partner', 'partner-advocate', 'ADVOCATE');
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

const OFFSETS = ['-12:00', '+12:00', '+14:00', 'Z'] as const;
const HANDOFFS = { grantAccess: grant, referFamily: refer } as const;
const CASES = (['grantAccess', 'referFamily'] as const).flatMap((handoff) => OFFSETS.map((offset) => [handoff, offset] as const));

describe('an expiry three hours in the past is refused, whatever its offset', () => {
  it.each(CASES)('%s with expiresAt at %s', async (handoff, offset) => {
    const familyId = await openFamily();
    const response = await HANDOFFS[handoff](familyId, written(-3 * HOUR, offset));
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
    expect(await partnerSees(familyId)).toBe(false);
  });
});

describe('an expiry three hours ahead is accepted and honoured, whatever its offset', () => {
  it.each(CASES)('%s with expiresAt at %s', async (handoff, offset) => {
    const familyId = await openFamily();
    const expiresAt = written(3 * HOUR, offset);
    expect((await HANDOFFS[handoff](familyId, expiresAt)).errors).toBeUndefined();
    expect(await partnerSees(familyId)).toBe(true);
    if (handoff === 'referFamily') {
      // The expiry is kept, and shown, as the instant it is, in UTC.
      const referrals = dataOf(await gql(lead, 'query($id: ID!) { family(id: $id) { referrals { expiresAt } } }', { id: familyId })).family.referrals;
      expect(referrals).toEqual([{ expiresAt: new Date(Date.parse(expiresAt)).toISOString() }]);
    }
  });
});

describe('DateTime inputs arrive in UTC', () => {
  it('occurredAt written at +14:00 one hour ahead is in the future; at -12:00 one hour ago it is not', async () => {
    const familyId = await openFamily();
    const child = 'mutation($id: ID!, $at: DateTime) { registerChild(input: { familyId: $id, childId: "c", givenName: "A", birthDate: "2012-01-01", nationality: "HN", occurredAt: $at }) { revision } }';
    expect((await gql(lead, child, { id: familyId, at: written(HOUR, '+14:00') })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'occurredAt' });
    expect((await gql(lead, child, { id: familyId, at: written(-HOUR, '-12:00') })).errors).toBeUndefined();
  });
});
