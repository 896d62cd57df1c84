import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization, type GraphQLResponse } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * Issue 14, item 8, over HTTP with each organisation's own key: a two-year-old with severe
 * medical needs held for months, and a father who speaks Mam and needs an interpreter. Medical
 * needs are health data: the lead (FULL) reads them, a DOCUMENTS partner does not, in the family
 * or its history. Languages are personal data read from DOCUMENTS up; the interpreter need is
 * shown at every scope (a partner arranging a call needs to know it).
 */
const ADMIN_KEY = 'medical-admin-key-0123456789abcdef';
const temp = makeTempDir('tracker-medical-');
let tracker: Tracker;
const keys: Record<string, string> = {};
const NEEDS = 'Canary-Heart condition: cardiology follow-up every 3 months';
const NEEDS_NOW = 'Canary-Heart condition: surgery done, check-up in June';

const run = (key: string, name: string, input: Record<string, unknown>): Promise<GraphQLResponse> => {
  const type = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  return postGraphQL(tracker.url, key, `mutation($input: ${type}!) { ${name}(input: $input) { revision family { id } } }`, { input });
};
const ok = async (key: string, name: string, input: Record<string, unknown>) => dataOf(await run(key, name, input))[name] as { revision: number; family: { id: string } };

const FAMILY = `query($id: ID!) { family(id: $id) {
  children { id languages needsInterpreter medicalNeeds }
  relatives { id relationship languages needsInterpreter }
} }`;
const HISTORY = 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type data } } } }';
const seenBy = async (key: string, familyId: string) => ({
  family: dataOf(await postGraphQL(tracker.url, key, FAMILY, { id: familyId })).family,
  history: dataOf(await postGraphQL(tracker.url, key, HISTORY, { id: familyId })).familyHistory.edges as Array<{ node: { type: string; data: Record<string, unknown> } }>,
});

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY });
  for (const org of ['us-legal', 'ni-defenders', 'status-partner']) await registerOrganization(tracker.url, ADMIN_KEY, org);
  keys['lead'] = await issueKey(tracker.url, ADMIN_KEY, 'us-legal', 'us-advocate', 'ADVOCATE');
  keys['documents'] = await issueKey(tracker.url, ADMIN_KEY, 'ni-defenders', 'ni-advocate', 'ADVOCATE');
  keys['status'] = await issueKey(tracker.url, ADMIN_KEY, 'status-partner', 'partner', 'PARTNER');
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('medical needs, languages and interpreter needs (issue 14, item 8)', () => {
  it('are recorded by the lead and read per scope: medical needs at FULL only, languages from DOCUMENTS up, the interpreter need everywhere', async () => {
    const lead = keys['lead']!;
    const familyId = (await ok(lead, 'openFamilyCase', { programme: 'DETENTION' })).family.id;
    const born = new Date(Date.now() - 2 * 365 * 86_400_000).toISOString().slice(0, 10);
    await ok(lead, 'registerChild', { familyId, childId: 'boy', givenName: 'Canary-Boy', birthDate: born, nationality: 'NI', languages: ['es'], medicalNeeds: NEEDS });
    await ok(lead, 'addRelative', { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'Canary-Father', biological: true, languages: ['mam', 'es'], needsInterpreter: true });
    await ok(lead, 'recordMedicalNeeds', { familyId, childId: 'boy', medicalNeeds: NEEDS_NOW });
    const again = await run(lead, 'recordMedicalNeeds', { familyId, childId: 'boy', medicalNeeds: NEEDS_NOW });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'medicalNeeds' });
    expect(JSON.stringify(again)).not.toContain('Canary');

    await ok(lead, 'giveConsent', { familyId, consentId: 'consent', personId: 'father', purposes: ['documents', 'status updates'], recipientOrganizationIds: ['ni-defenders', 'status-partner'] });
    await ok(lead, 'referFamily', { familyId, referralId: 'docs', toOrganizationId: 'ni-defenders', purpose: 'documents', scope: 'DOCUMENTS' });
    dataOf(await postGraphQL(tracker.url, keys['documents']!, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "docs" }) { revision } }', { id: familyId }));
    await ok(lead, 'referFamily', { familyId, referralId: 'status', toOrganizationId: 'status-partner', purpose: 'status updates', scope: 'STATUS' });

    const full = await seenBy(lead, familyId);
    expect(full.family.children).toEqual([{ id: 'boy', languages: ['es'], needsInterpreter: false, medicalNeeds: NEEDS_NOW }]);
    expect(full.family.relatives).toEqual([{ id: 'father', relationship: 'FATHER', languages: ['mam', 'es'], needsInterpreter: true }]);
    expect(full.history.find((edge) => edge.node.type === 'MedicalNeedsRecorded')?.node.data).toEqual({ childId: 'boy', personal: { subjectId: 'boy', medicalNeeds: NEEDS_NOW } });

    const documents = await seenBy(keys['documents']!, familyId);
    expect(documents.family.children).toEqual([{ id: 'boy', languages: ['es'], needsInterpreter: false, medicalNeeds: null }]);
    expect(documents.family.relatives).toEqual([{ id: 'father', relationship: 'FATHER', languages: ['mam', 'es'], needsInterpreter: true }]);
    // That medical needs were recorded is itself health data: the event is a placeholder below FULL.
    expect(documents.history.some((edge) => edge.node.type === 'MedicalNeedsRecorded')).toBe(false);
    expect(JSON.stringify(documents)).not.toContain('Heart');

    const status = await seenBy(keys['status']!, familyId);
    expect(status.family.children).toEqual([{ id: 'child#1', languages: null, needsInterpreter: false, medicalNeeds: null }]);
    expect(status.family.relatives).toEqual([{ id: 'relative#1', relationship: 'FATHER', languages: null, needsInterpreter: true }]);
    expect(JSON.stringify(status)).not.toMatch(/Heart|mam/);
  });
});
