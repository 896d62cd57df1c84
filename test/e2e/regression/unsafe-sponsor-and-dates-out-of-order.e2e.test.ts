import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization, type GraphQLResponse } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Issue 14, items 2 and 4, over HTTP with the organisation's own keys: a child was released and
 * reunified with a sponsor whose home study was UNSAFE and who had an open fraud red flag; a
 * stepfather not biologically related could be planned for reunification unverified; a child
 * born in 2014 could be released before being detained. Each is now refused (and nothing is
 * written) unless, for the gates, an ADMIN of the lead records an override first.
 */
const ADMIN_KEY = 'safety-admin-key-0123456789abcdef';
const temp = makeTempDir('tracker-safety-');
let tracker: Tracker;
let advocate = '';
let leadAdmin = '';

const run = (key: string, name: string, input: Record<string, unknown>): Promise<GraphQLResponse> => {
  const type = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  return postGraphQL(tracker.url, key, `mutation($input: ${type}!) { ${name}(input: $input) { revision family { id status blockers } } }`, { input });
};
const ok = async (key: string, name: string, input: Record<string, unknown>) => dataOf(await run(key, name, input))[name] as { revision: number; family: { id: string; status: string; blockers: string[] } };
const refused = async (key: string, name: string, input: Record<string, unknown>) => {
  const result = await run(key, name, input);
  expect(result.errors, name).toBeDefined();
  return result.errors![0]!;
};

const revisionOf = async (familyId: string): Promise<number> =>
  dataOf(await postGraphQL(tracker.url, advocate, 'query($id: ID!) { family(id: $id) { revision } }', { id: familyId })).family.revision as number;

/** A family with a child (born 2014) detained in 2023 and a sponsor (an aunt). */
const familyWithSponsor = async (): Promise<string> => {
  const familyId = (await ok(advocate, 'openFamilyCase', { programme: 'DETENTION' })).family.id;
  await ok(advocate, 'registerChild', { familyId, childId: 'child', givenName: 'Canary-Child', birthDate: '2014-03-04', nationality: 'HN' });
  await ok(advocate, 'addRelative', { familyId, relativeId: 'sponsor', relationship: 'AUNT', givenName: 'Canary-Sponsor', biological: true });
  await ok(advocate, 'recordChildDetained', { familyId, childId: 'child', agency: 'ORR', detainedOn: '2023-01-05' });
  return familyId;
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
  await registerOrganization(tracker.url, ADMIN_KEY, 'us-legal');
  advocate = await issueKey(tracker.url, ADMIN_KEY, 'us-legal', 'us-advocate', 'ADVOCATE');
  leadAdmin = await issueKey(tracker.url, ADMIN_KEY, 'us-legal', 'us-admin', 'ADMIN');
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('safety gates over HTTP', () => {
  it('refuses releasing to an UNSAFE sponsor with an open fraud flag, naming the reasons and no name; nothing is written', async () => {
    const familyId = await familyWithSponsor();
    await ok(advocate, 'recordSafetyAssessment', { familyId, relativeId: 'sponsor', outcome: 'UNSAFE' });
    await ok(advocate, 'raiseRedFlag', { familyId, flagId: 'fraud', category: 'FRAUD_SUSPECTED', subjectPersonId: 'sponsor' });
    const before = await revisionOf(familyId);
    const error = await refused(advocate, 'recordChildReleased', { familyId, childId: 'child', releasedOn: '2023-03-01', releasedToRelativeId: 'sponsor', placement: 'SPONSOR' });
    expect(error.extensions.code).toBe('INVALID_TRANSITION');
    expect(error.message).toMatch(/UNSAFE safety assessment/);
    expect(error.message).toMatch(/open red flag/);
    expect(error.message).not.toMatch(/Canary/);
    expect((await refused(advocate, 'recordReunification', { familyId, childId: 'child', relativeId: 'sponsor', reunifiedOn: '2023-03-01', country: 'US' })).extensions.code).toBe('INVALID_TRANSITION');
    expect(await revisionOf(familyId)).toBe(before);
  });

  it('lets the release through with overrides recorded by the lead ADMIN (not its advocate), once', async () => {
    const familyId = await familyWithSponsor();
    await ok(advocate, 'recordSafetyAssessment', { familyId, relativeId: 'sponsor', outcome: 'UNSAFE' });
    await ok(advocate, 'raiseRedFlag', { familyId, flagId: 'fraud', category: 'FRAUD_SUSPECTED', subjectPersonId: 'sponsor' });
    const input = { familyId, overrideId: 'ov-unsafe', childId: 'child', personId: 'sponsor', gate: 'UNSAFE_ASSESSMENT', reason: 'county redid the home study' };
    expect((await refused(advocate, 'recordSafetyOverride', input)).extensions.code).toBe('FORBIDDEN');
    await ok(leadAdmin, 'recordSafetyOverride', input);
    await ok(leadAdmin, 'recordSafetyOverride', { ...input, overrideId: 'ov-flag', gate: 'OPEN_RED_FLAG', reason: 'fraud report withdrawn by the reporter' });
    const released = await ok(advocate, 'recordChildReleased', { familyId, childId: 'child', releasedOn: '2023-03-01', releasedToRelativeId: 'sponsor', placement: 'SPONSOR' });
    expect(released.family.status).toBe('READY_TO_REUNIFY');
    // Single use: the reunification needs its own overrides.
    expect((await refused(advocate, 'recordReunification', { familyId, childId: 'child', relativeId: 'sponsor', reunifiedOn: '2023-03-02', country: 'US' })).extensions.code).toBe('INVALID_TRANSITION');
  });

  it('shows a non-biological caregiver as a blocker and refuses planning reunification with him until verified', async () => {
    const familyId = (await ok(advocate, 'openFamilyCase', { programme: 'DETENTION' })).family.id;
    await ok(advocate, 'registerChild', { familyId, childId: 'boy', givenName: 'Canary-Boy', birthDate: '2022-02-01', nationality: 'NI' });
    const added = await ok(advocate, 'addRelative', { familyId, relativeId: 'stepfather', relationship: 'STEPFATHER', givenName: 'Canary-Step', biological: false });
    expect(added.family.blockers).toEqual(['stepfather: relationship not verified']);
    const error = await refused(advocate, 'planReunification', { familyId, childId: 'boy', relativeId: 'stepfather' });
    expect(error.extensions.code).toBe('INVALID_TRANSITION');
    expect(error.message).toMatch(/not biologically related/);
    await ok(advocate, 'recordRelationshipVerified', { familyId, relativeId: 'stepfather', method: 'DOCUMENT', biological: false });
    const planned = await ok(advocate, 'planReunification', { familyId, childId: 'boy', relativeId: 'stepfather' });
    expect(planned.family.blockers).toEqual(['stepfather: identity not verified']);
  });
});

describe('dates in order over HTTP', () => {
  it('refuses a release dated before the detention, naming the field and the fact, never the value', async () => {
    const familyId = await familyWithSponsor();
    const before = await revisionOf(familyId);
    const error = await refused(advocate, 'recordChildReleased', { familyId, childId: 'child', releasedOn: '2022-12-01', placement: 'SPONSOR' });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'releasedOn' });
    expect(error.message).toBe("releasedOn is before the child's detention (detainedOn)");
    const beforeBirth = await refused(advocate, 'recordChildReleased', { familyId, childId: 'child', releasedOn: '2009-06-01', placement: 'SPONSOR' });
    expect(beforeBirth.message).toBe("releasedOn is before the child's birth (birthDate)");
    const early = await refused(advocate, 'recordChildDetained', { familyId, childId: 'child', agency: 'ICE', detainedOn: '2010-01-01' });
    expect(early.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'detainedOn' });
    expect(early.message).not.toMatch(/2010/);
    const correction = await refused(advocate, 'correctChildBirthDate', { familyId, childId: 'child', birthDate: '2023-06-01' });
    expect(correction.message).toBe("birthDate is after the child's detention (detainedOn)");
    expect(await revisionOf(familyId)).toBe(before);
  });
});
