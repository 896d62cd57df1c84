import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf } from '../support/graphql-client.js';
import { subscribe, type Transport } from '../support/subscription-clients.js';
import { referAndAccept, startProbeWorld, type ProbeWorld } from '../support/probe-world.js';

/**
 * What held when the tracker was probed from outside (session s5-probe), kept as checks so it
 * keeps holding: partners and outsiders (existence oracles, revocation races, keys), writes by
 * those who may not make them, rules of real cases (dates, leap days, deceased relatives) and
 * what an advocate records being findable again (accents, compound surnames, phone formats).
 * Its findings became the regression tests under test/e2e/regression/ named in the commit log (probe s5).
 */
let world: ProbeWorld;
let shared: string;
const UNKNOWN_FAMILY = '01a233c4-306c-71ae-a855-0da9369f87a8';

const openFamily = async (): Promise<string> => {
  const id = (await world.ok('lead', 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id as string;
  await world.ok('lead', 'registerChild', { familyId: id, childId: 'child', givenName: 'José María', familyName: 'Pérez González', birthDate: '2012-02-29', nationality: 'GT' });
  await world.ok('lead', 'addRelative', { familyId: id, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Ana', familyName: 'Núñez', phone: '+502 5555-1234' });
  return id;
};

beforeAll(async () => {
  world = await startProbeWorld(['lead', 'partner', 'outsider']);
  shared = await openFamily();
  await referAndAccept(world, shared, 'mother', 'partner', 'STATUS');
});
afterAll(async () => world?.stop());

describe('an outsider cannot tell a hidden family from an unknown id', () => {
  const READS = [
    'query($f: ID!) { family(id: $f) { id } }',
    'query($f: ID!) { family(id: $f, atRevision: 1) { id } }',
    'query($f: ID!) { familyHistory(familyId: $f) { edges { node { type } } } }',
    'query($f: ID!) { verifyFamilyHistory(familyId: $f) { __typename } }',
    'query($f: ID!) { familyStatusChanges(familyIds: [$f]) { changes { familyId } } }',
    'query($f: ID!) { familyAccessLog(familyId: $f) { __typename } }',
    'mutation($f: ID!) { addRelative(input: { familyId: $f, relativeId: "x", relationship: AUNT, givenName: "X", expectedRevision: 0 }) { revision } }',
  ];
  it.each(READS)('%s answers alike for both', async (query) => {
    const hidden = await world.gql(world.keys['outsider']!, query, { f: shared });
    const unknown = await world.gql(world.keys['outsider']!, query, { f: UNKNOWN_FAMILY });
    expect(hidden).toEqual(unknown);
  });

  it("replaying the lead's own command (same commandId and input) is NOT_FOUND, not the stored result", async () => {
    const input = { familyId: shared, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Tía', commandId: 'held-replay-1' };
    await world.ok('lead', 'addRelative', input);
    const replay = await world.gql(world.keys['outsider']!, 'mutation($i: AddRelativeInput!) { addRelative(input: $i) { revision family { relatives { givenName } } } }', { i: input });
    expect(replay.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'familyId' });
    expect(replay.data).toBeNull();
  });
});

describe('revocation, as soon as it is acknowledged', () => {
  it('a read that starts after revokeReferral answered does not show the family on any surface', async () => {
    for (let round = 0; round < 3; round += 1) {
      const id = await openFamily();
      await referAndAccept(world, id, 'mother', 'partner', 'STATUS');
      expect(dataOf(await world.gql(world.keys['partner']!, 'query($f: ID!) { family(id: $f) { id } }', { f: id })).family).toEqual({ id });
      await world.ok('lead', 'revokeReferral', { familyId: id, referralId: 'ref-partner' });
      const [family, history, feed, list] = await Promise.all([
        world.gql(world.keys['partner']!, 'query($f: ID!) { family(id: $f) { id } }', { f: id }),
        world.gql(world.keys['partner']!, 'query($f: ID!) { familyHistory(familyId: $f) { edges { node { type } } } }', { f: id }),
        world.gql(world.keys['partner']!, 'query($f: ID!) { familyStatusChanges(familyIds: [$f]) { changes { familyId } } }', { f: id }),
        world.gql(world.keys['partner']!, 'query { families(first: 100) { edges { node { id } } } }'),
      ]);
      expect(family.data.family).toBeNull();
      expect(history.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      expect(feed.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      expect(JSON.stringify(list.data)).not.toContain(id);
    }
  });

  it('an acceptance racing the revocation of a pending referral never leaves the partner seeing the family once the revoke succeeded', async () => {
    for (let round = 0; round < 4; round += 1) {
      const id = await openFamily();
      await world.ok('lead', 'giveConsent', { familyId: id, consentId: 'race', personId: 'mother', purposes: ['partnership'], recipientOrganizationIds: ['partner'] });
      await world.ok('lead', 'referFamily', { familyId: id, referralId: 'race', toOrganizationId: 'partner', purpose: 'partnership', scope: 'STATUS' });
      const [revoke] = await Promise.all([
        world.gql(world.keys['lead']!, 'mutation($f: ID!) { revokeReferral(input: { familyId: $f, referralId: "race" }) { revision } }', { f: id }),
        world.gql(world.keys['partner']!, 'mutation($f: ID!) { acceptReferral(input: { familyId: $f, referralId: "race" }) { revision } }', { f: id }),
      ]);
      if (!revoke.errors) expect(dataOf(await world.gql(world.keys['partner']!, 'query($f: ID!) { family(id: $f) { id } }', { f: id })).family).toBeNull();
    }
  });

  it("a key revoked by its organisation's administrator, and every key of a deactivated organisation, fail on the next request (GraphQL and export)", async () => {
    const orgAdmin = await world.issue('outsider', 'outsider-admin', 'ADMIN');
    const issued = dataOf(await world.gql(orgAdmin, 'mutation { issueApiKey(input: { userId: "temp", userName: "Temp", role: ADVOCATE, label: "t" }) { keyId apiKey } }')).issueApiKey;
    expect(dataOf(await world.gql(issued.apiKey, '{ viewer { userId } }')).viewer.userId).toBe('temp');
    // Another organisation's administrator cannot revoke it.
    const otherAdmin = await world.issue('partner', 'partner-admin', 'ADMIN');
    expect((await world.gql(otherAdmin, 'mutation($k: ID!) { revokeApiKey(input: { keyId: $k, organizationId: "outsider" }) { keyId } }', { k: issued.keyId })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    dataOf(await world.gql(orgAdmin, 'mutation($k: ID!) { revokeApiKey(input: { keyId: $k }) { keyId } }', { k: issued.keyId }));
    expect((await world.gql(issued.apiKey, '{ viewer { userId } }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');

    const doomed = await world.issue('outsider', 'doomed', 'ADVOCATE');
    dataOf(await world.gql(world.admin, 'mutation { deactivateOrganization(input: { organizationId: "outsider", reason: "closed" }) { __typename } }'));
    expect((await world.gql(doomed, '{ viewer { userId } }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect((await fetch(`${world.tracker.url}/exports/caseload.csv`, { headers: { authorization: `Bearer ${doomed}` } })).status).toBe(401);
  });
});

describe('subscriptions after a revocation', () => {
  it.each<Transport>(['sse', 'ws'])('over %s, a change made after the revoke is not delivered, while a later change of a family still shared is', async (transport) => {
    const revoked = await openFamily();
    const kept = await openFamily();
    await referAndAccept(world, revoked, 'mother', 'partner', 'STATUS');
    await referAndAccept(world, kept, 'mother', 'partner', 'STATUS');
    // From the feed's current end, so no change is missed however long the client takes to connect.
    let after: string | null = null;
    for (let more = true; more;) {
      const page: { endCursor: string | null; hasMore: boolean } = dataOf(await world.gql(world.keys['partner']!, 'query($after: String) { familyStatusChanges(after: $after, first: 500) { endCursor hasMore } }', { after })).familyStatusChanges;
      after = page.endCursor ?? after;
      more = page.hasMore;
    }
    const subscription = subscribe(transport, world.tracker.url, world.keys['partner']!, { after });
    try {
      // A first delivered change proves the stream is live before the revocation.
      await world.ok('lead', 'startTracing', { familyId: revoked, relativeId: 'mother', defenderOrganizationId: 'lead' });
      const first = await subscription.take(1, 20_000);
      expect(first[0]?.change).toMatchObject({ familyId: revoked, status: 'SEARCHING' });
      await world.ok('lead', 'revokeReferral', { familyId: revoked, referralId: 'ref-partner' });
      await world.ok('lead', 'recordParentLocated', { familyId: revoked, relativeId: 'mother', country: 'GT', method: 'PHONE' });
      await world.ok('lead', 'startTracing', { familyId: kept, relativeId: 'mother', defenderOrganizationId: 'lead' });
      // The feed is in store order: the kept family's change comes after the revoked family's.
      const next = await subscription.take(1, 20_000);
      expect(next[0]?.change).toMatchObject({ familyId: kept, status: 'SEARCHING' });
    } finally {
      await subscription.close();
    }
  });
});

describe('writes by those who may not make them', () => {
  it("a transfer cannot be accepted by the receiving organisation's PARTNER or AUDITOR keys", async () => {
    const id = await openFamily();
    await world.ok('lead', 'giveConsent', { familyId: id, consentId: 'transfer', personId: 'mother', purposes: ['transfer'], recipientOrganizationIds: ['partner'] });
    await world.ok('lead', 'transferFamily', { familyId: id, toOrganizationId: 'partner' });
    for (const role of ['PARTNER', 'AUDITOR']) {
      const key = await world.issue('partner', `partner-${role.toLowerCase()}`, role);
      const answer = await world.gql(key, 'mutation($f: ID!) { acceptTransfer(input: { familyId: $f }) { family { id } } }', { f: id });
      expect(answer.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    }
    expect(dataOf(await world.gql(world.keys['lead']!, 'query($f: ID!) { family(id: $f) { leadOrganization { id } } }', { f: id })).family.leadOrganization.id).toBe('lead');
  });
});

describe('a DOCUMENTS partner writing about people hidden from it', () => {
  it('gets for an adverse or never-disclose person exactly what it gets for an id that does not exist', async () => {
    const id = (await world.ok('lead', 'openFamilyCase', { programme: 'TRAFFICKING_REUNIFICATION' })).family.id;
    await world.ok('lead', 'registerChild', { familyId: id, childId: 'girl', givenName: 'Sofía', birthDate: '2012-02-01', nationality: 'MX' });
    await world.ok('lead', 'addRelative', { familyId: id, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Ana' });
    await world.ok('lead', 'addRelative', { familyId: id, relativeId: 'trafficker', relationship: 'OTHER_CAREGIVER', givenName: 'T', adverse: true });
    await world.ok('lead', 'addRelative', { familyId: id, relativeId: 'aunt', relationship: 'AUNT', givenName: 'Tía' });
    await world.ok('lead', 'recordProtectionConcern', { familyId: id, concernId: 'concern', kind: 'TRAFFICKING', subjectPersonId: 'girl', neverDiscloseTo: ['aunt'] });
    await referAndAccept(world, id, 'mother', 'partner', 'DOCUMENTS', 'ref-docs');
    await world.ok('lead', 'requestDocument', { familyId: id, documentId: 'passport', documentType: 'PASSPORT', issuingCountry: 'MX', assignedOrganizationId: 'lead' });
    await world.ok('lead', 'recordDocumentObtained', { familyId: id, documentId: 'passport' });
    const steps: Array<[string, (person: string) => Record<string, unknown>]> = [
      ['requestDocument', (person) => ({ familyId: id, documentId: `about-${person}`, documentType: 'BIRTH_CERTIFICATE', issuingCountry: 'MX', assignedOrganizationId: 'partner', subjectPersonId: person })],
      ['recordDocumentServed', (person) => ({ familyId: id, documentId: 'passport', servedPersonId: person })],
      ['recordDocumentSigned', (person) => ({ familyId: id, documentId: 'passport', signedByPersonId: person })],
      ['recordContactAttempt', (person) => ({ familyId: id, relativeId: person, channel: 'PHONE', result: 'NO_ANSWER' })],
    ];
    for (const [name, input] of steps) {
      const unknown = await world.errorOf('partner', name, input('nobody-such'));
      expect(unknown?.extensions.code).toBe('NOT_FOUND');
      for (const hidden of ['trafficker', 'aunt']) expect(await world.errorOf('partner', name, input(hidden))).toEqual(unknown);
    }
  });
});

describe('a legal hold racing an erasure', () => {
  it('never lets an erasure land after the hold, whichever request is sent first', async () => {
    const admin = await world.issue('lead', 'lead-admin', 'ADMIN');
    for (let round = 0; round < 6; round += 1) {
      const familyId = await openFamily();
      const hold = () => world.gql(world.keys['lead']!, 'mutation($f: ID!) { placeLegalHold(input: { familyId: $f, holdId: "hold", reason: COURT_ORDER }) { revision } }', { f: familyId });
      const erase = () => world.gql(admin, 'mutation($f: ID!) { eraseSubject(input: { familyId: $f, subjectId: "child", reason: SUBJECT_REQUEST }) { revision } }', { f: familyId });
      const [first, second] = round % 2 === 0 ? await Promise.all([hold(), erase()]) : await Promise.all([erase(), hold()]);
      expect(first.errors?.[0]?.extensions.code ?? 'ok').toMatch(/^(ok|LEGAL_HOLD)$/);
      expect(second.errors?.[0]?.extensions.code ?? 'ok').toMatch(/^(ok|LEGAL_HOLD)$/);
      const types: string[] = dataOf(await world.gql(world.keys['lead']!, 'query($f: ID!) { familyHistory(familyId: $f, first: 500) { edges { node { type } } } }', { f: familyId }))
        .familyHistory.edges.map((edge: { node: { type: string } }) => edge.node.type);
      const held = types.indexOf('LegalHoldPlaced');
      const erased = types.indexOf('SubjectErased');
      expect(held).toBeGreaterThan(-1);
      if (erased > -1) expect(erased).toBeLessThan(held);
    }
  });
});

describe('rules of real cases', () => {
  it('refuses impossible dates and expiries already past, naming the field and never the value', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['registerChild', { familyId: shared, childId: 'c2', givenName: 'B', birthDate: '2999-01-01', nationality: 'HN' }, 'birthDate'],
      ['registerChild', { familyId: shared, childId: 'c3', givenName: 'B', birthDate: '2015-01-01', arrivalDate: '2014-01-01', nationality: 'HN' }, 'arrivalDate'],
      ['giveConsent', { familyId: shared, consentId: 'old', personId: 'mother', purposes: ['q'], recipientOrganizationIds: ['partner'], expiresOn: '2020-01-01' }, 'expiresOn'],
      ['referFamily', { familyId: shared, referralId: 'old', toOrganizationId: 'partner', purpose: 'partnership', scope: 'STATUS', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
      ['grantAccess', { familyId: shared, grantId: 'old', organizationId: 'partner', scope: 'STATUS', purpose: 'partnership', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    ];
    for (const [name, input, field] of cases) {
      const error = await world.errorOf('lead', name, input);
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(error?.message).not.toMatch(/2999|2014-01-01|2020-01-01/);
    }
    const calendar = await world.errorOf('lead', 'registerChild', { familyId: shared, childId: 'c4', givenName: 'B', birthDate: '2024-02-30', nationality: 'HN' });
    expect(calendar?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'birthDate' });
  });

  it('computes leap-day deadlines on the cautious side (never after 28 February)', async () => {
    const id = (await world.ok('lead', 'openFamilyCase', { programme: 'ASYLUM' })).family.id;
    await world.ok('lead', 'registerChild', { familyId: id, childId: 'leap', givenName: 'Lia', birthDate: '2009-03-01', nationality: 'HN', arrivalDate: '2024-02-29' });
    await world.ok('lead', 'registerChild', { familyId: id, childId: 'born-leap', givenName: 'Leo', birthDate: '2008-02-29', nationality: 'HN' });
    await world.ok('lead', 'openLegalMatter', { familyId: id, matterId: 'sij', matterType: 'SIJ', childId: 'born-leap', jurisdiction: 'US-NY' });
    const deadlines = dataOf(await world.gql(world.keys['lead']!, 'query($f: ID!) { family(id: $f) { deadlines { kind dueOn childId } } }', { f: id })).family.deadlines;
    expect(deadlines).toContainEqual({ kind: 'ASYLUM_ONE_YEAR', dueOn: '2025-02-27', childId: 'leap' });
    expect(deadlines).toContainEqual({ kind: 'SIJ_AGE_OUT', dueOn: '2029-02-27', childId: 'born-leap' });
  });

  it('refuses tracing or a reunification with a relative recorded as deceased', async () => {
    const id = await openFamily();
    await world.ok('lead', 'addRelative', { familyId: id, relativeId: 'dead', relationship: 'FATHER', givenName: 'Mario', vitalStatus: 'DECEASED' });
    expect((await world.errorOf('lead', 'startTracing', { familyId: id, relativeId: 'dead', defenderOrganizationId: 'lead' }))?.extensions.code).toBe('INVALID_TRANSITION');
    expect((await world.errorOf('lead', 'planReunification', { familyId: id, childId: 'child', relativeId: 'dead' }))?.extensions.code).toBe('INVALID_TRANSITION');
  });
});

describe('what an advocate records is found again by search', () => {
  const found = async (text: string): Promise<string[]> =>
    dataOf(await world.gql(world.keys['lead']!, 'query($q: String!) { search(text: $q) { edges { node { personId family { id } } } } }', { q: text }))
      .search.edges.filter((edge: any) => edge.node.family.id === shared).map((edge: any) => edge.node.personId);

  it.each(['perez gonzalez', 'González Pérez José', 'Jose Maria', 'jose-maria', 'Pérez-González', 'pepe'])('finds the child by %s', async (text) => {
    expect(await found(text)).toEqual(['child']);
  });
  it.each(['nunez', 'NÚÑEZ ana', '+502 5555 1234', '50255551234', '(502) 5555 1234', '5555-1234', '55551234'])('finds the mother by %s', async (text) => {
    expect(await found(text)).toEqual(['mother']);
  });
});

describe('clients that send what the API does not take', () => {
  it('refuses a batch, and junk cursors without repeating them', async () => {
    const batch = await fetch(`${world.tracker.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${world.keys['lead']!}` }, body: JSON.stringify([{ query: '{ viewer { userId } }' }, { query: '{ viewer { userId } }' }]) });
    expect(batch.status).toBe(400);
    for (const query of ['query { families(after: "CANARY-cursor") { edges { node { id } } } }', 'query { search(text: "x", after: "CANARY-cursor") { edges { cursor } } }']) {
      const response = await world.gql(world.keys['lead']!, query);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      expect(JSON.stringify(response)).not.toContain('CANARY');
    }
    const language = await world.gql(world.keys['lead']!, '{ families(first: 1) { edges { node { timeline(language: "CANARY-lang") { edges { node { sentence } } } } } } }');
    expect(language.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'language' });
    expect(JSON.stringify(language)).not.toContain('CANARY');
  });
});
