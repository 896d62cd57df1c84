import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.js';
import { loadDemo, startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';
import { postGraphQL } from '../support/graphql-client.js';

/** Family mutations over HTTP: the first slice of the mutations issue (see the README example). */
const temp = makeTempDir('tracker-mutations-');
let tracker: Tracker;
let usKey = '';
let mxKey = '';

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);

const mutate = (key: string, name: string, input: Record<string, unknown>) =>
  gql(key, `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { revision position replayed family { id status revision blockers } } }`, { input });

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir });
  const keys = await loadDemo(temp.dir, async (demoKeys) => !(await gql(demoKeys['Legal Aid of New York']!, '{ viewer { userId } }')).errors);
  usKey = keys['Legal Aid of New York'] ?? '';
  mxKey = keys['Defensores de Puebla'] ?? '';
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('family mutations over HTTP', () => {
  it('runs the README example: open, detention, locate a parent, apostille, recover custody, reunify', async () => {
    const opened = await mutate(usKey, 'openFamilyCase', { programme: 'TRAFFICKING_REUNIFICATION', commandId: 'readme-open' });
    const familyId = opened.data.openFamilyCase.family.id as string;
    expect(opened.data.openFamilyCase).toMatchObject({ revision: 0, replayed: false, family: { status: 'INTAKE' } });
    const steps: Array<[string, Record<string, unknown>, string]> = [
      ['registerChild', { childId: 'daughter', givenName: 'Sofía', birthDate: '2015-09-09', nationality: 'MX' }, 'INTAKE'],
      ['addRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: 'Inés' }, 'INTAKE'],
      ['recordChildDetained', { childId: 'daughter', agency: 'DIF', detainedOn: '2023-01-10' }, 'INTAKE'],
      ['startTracing', { relativeId: 'mother', defenderOrganizationId: 'demo-mx-defenders', occurredAt: '2023-01-11T09:00:00Z' }, 'SEARCHING'],
      ['recordParentLocated', { relativeId: 'mother', country: 'US', method: 'PARTNER_NGO', occurredAt: '2023-02-01T09:00:00Z' }, 'IN_CONTACT'],
      ['requestDocument', { documentId: 'birth', documentType: 'BIRTH_CERTIFICATE', issuingCountry: 'MX', assignedOrganizationId: 'demo-mx-defenders', needsLegalisation: true }, 'LEGAL_PROCESS'],
      ['recordDocumentObtained', { documentId: 'birth' }, 'LEGAL_PROCESS'],
      ['recordDocumentApostilled', { documentId: 'birth' }, 'LEGAL_PROCESS'],
      ['openLegalMatter', { matterId: 'custody', matterType: 'MEXICAN_CUSTODY', childId: 'daughter', jurisdiction: 'MX-PUE', occurredAt: '2023-02-15T09:00:00Z' }, 'LEGAL_PROCESS'],
      ['recordPetitionFiled', { matterId: 'custody', filedOn: '2023-03-01' }, 'LEGAL_PROCESS'],
      ['recordCourtOrder', { matterId: 'custody', orderType: 'CUSTODY_ORDER', issuedOn: '2023-06-01' }, 'LEGAL_PROCESS'],
      ['recordCustodyRecovered', { matterId: 'custody', childId: 'daughter', recoveredOn: '2023-06-02' }, 'READY_TO_REUNIFY'],
      ['recordReunification', { childId: 'daughter', relativeId: 'mother', reunifiedOn: '2024-03-01', country: 'US' }, 'REUNIFIED'],
    ];
    for (const [index, [name, input, status]] of steps.entries()) {
      const result = await mutate(usKey, name, { familyId, ...input });
      expect(result.errors, name).toBeUndefined();
      expect(result.data[name], name).toMatchObject({ revision: index + 1, family: { status, revision: index + 1 } });
    }
  });

  it('a repeated commandId returns the first result; reused with other input it is IDEMPOTENCY_KEY_REUSED', async () => {
    const first = await mutate(usKey, 'openFamilyCase', { programme: 'SIJ', commandId: 'twice' });
    const again = await mutate(usKey, 'openFamilyCase', { programme: 'SIJ', commandId: 'twice' });
    expect(again.data.openFamilyCase).toEqual({ ...first.data.openFamilyCase, replayed: true });
    const reused = await mutate(usKey, 'openFamilyCase', { programme: 'ASYLUM', commandId: 'twice' });
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'commandId' });
  });

  it('answers each expected failure with its code and changes nothing', async () => {
    const familyId = (await mutate(usKey, 'openFamilyCase', { programme: 'DETENTION' })).data.openFamilyCase.family.id as string;
    await mutate(usKey, 'registerChild', { familyId, childId: 'c1', givenName: 'Ana', birthDate: '2012-01-01', nationality: 'HN' });
    const cases: Array<[string, Record<string, unknown>, string, string | undefined]> = [
      ['recordDocumentApostilled', { documentId: 'missing' }, 'NOT_FOUND', 'documentId'],
      ['recordChildReleased', { childId: 'c1', releasedOn: '2024-01-01', placement: 'SPONSOR' }, 'INVALID_TRANSITION', undefined],
      ['registerChild', { childId: 'c2', givenName: 'Bo', birthDate: '2999-01-01', nationality: 'HN' }, 'BAD_USER_INPUT', 'birthDate'],
      ['registerChild', { childId: 'c2', givenName: 'Bo', birthDate: '2012-01-01', nationality: 'HN', occurredAt: '2999-01-01T00:00:00Z' }, 'BAD_USER_INPUT', 'occurredAt'],
      ['addRelative', { relativeId: 'r1', relationship: 'FATHER', givenName: 'X', expectedRevision: 0 }, 'CONFLICT', undefined],
    ];
    for (const [name, input, code, field] of cases) {
      const result = await mutate(usKey, name, { familyId, ...input });
      expect(result.errors?.[0]?.extensions, name).toMatchObject({ code, ...(field ? { field } : {}) });
    }
    const after = await gql(usKey, 'query($id: ID!) { family(id: $id) { revision } }', { id: familyId });
    expect(after.data.family.revision).toBe(1);
  });

  it('another organisation\'s family is NOT_FOUND for mutations, like an unknown id', async () => {
    const familyId = (await mutate(usKey, 'openFamilyCase', { programme: 'DETENTION' })).data.openFamilyCase.family.id as string;
    const foreign = await mutate(mxKey, 'addRelative', { familyId, relativeId: 'r1', relationship: 'FATHER', givenName: 'X' });
    const unknown = await mutate(mxKey, 'addRelative', { familyId: 'ffffffff-ffff-8fff-ffff-ffffffffffff', relativeId: 'r1', relationship: 'FATHER', givenName: 'X' });
    expect(foreign.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'familyId' });
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'familyId' });
    expect(foreign.errors?.[0]?.message.replace(familyId, 'ID')).toBe(unknown.errors?.[0]?.message.replace('ffffffff-ffff-8fff-ffff-ffffffffffff', 'ID'));
  });

  it('reads the family back when the payload selects it, also through fragments; without it a query still shows the change at once', async () => {
    const opened = await mutate(usKey, 'openFamilyCase', { programme: 'SIJ' });
    const familyId = opened.data.openFamilyCase.family.id as string;
    const contact = (selection: string, fragments = '') =>
      gql(usKey, `mutation($input: RegisterChildInput!) { registerChild(input: $input) { ${selection} } } ${fragments}`, {
        input: { familyId, childId: `c-${String(Math.random()).slice(2, 10)}`, givenName: 'Ana', birthDate: '2015-09-09', nationality: 'MX' },
      });
    const bare = await contact('revision');
    expect(bare.errors).toBeUndefined();
    expect(Object.keys(bare.data.registerChild)).toEqual(['revision']);
    const read = await gql(usKey, 'query($id: ID!) { family(id: $id) { revision children { id } } }', { id: familyId });
    expect(read.data.family).toMatchObject({ revision: bare.data.registerChild.revision, children: [{ id: expect.any(String) }] });
    const spread = await contact('...P', 'fragment P on FamilyPayload { revision family { revision } }');
    expect(spread.data.registerChild.family).toEqual({ revision: spread.data.registerChild.revision });
    const inline = await contact('revision ... on FamilyPayload { family { revision } }');
    expect(inline.data.registerChild.family).toEqual({ revision: inline.data.registerChild.revision });
    const plain = await contact('family { id }');
    expect(plain.data.registerChild.family).toEqual({ id: familyId });
  });
});
