import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addYears, daysBetween, type CalendarDate } from '../../../services/shared/calendar-date.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression (issue 12, item 3): redaction by denylist leaked what STATUS and DOCUMENTS scopes
 * withhold: the birth date through the SIJ age-out due date, the arrival date through the
 * asylum deadline (and blockers), the custody court's jurisdiction, history data (languages,
 * detention and separation dates, the detaining agency, "never disclose to" lists), the
 * relative named in "never disclose to" at DOCUMENTS, ids the lead chose, and the same in
 * `tracker export` without a key.
 *
 * The check, for each withheld fact: two families that differ only in that fact look
 * byte-identical to the partner (family, its history, its export), so no visible field
 * determines it.
 */
const ROOT = join(import.meta.dirname, '../../..');
const ADMIN = 'denylist-admin-key-0123456789abc';
const temp = makeTempDir('tracker-denylist-');
let tracker: Tracker;
const keys: Record<string, string> = {};
const PARTNER_ORG = { STATUS: 'status-org', DOCUMENTS: 'docs-org' } as const;
type PartnerScope = keyof typeof PARTNER_ORG;

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const today = new Date().toISOString().slice(0, 10) as CalendarDate;
/** Deadlines fall in the month 60 days from now (30 to 90 days ahead), on the days chosen below. */
const deadlineMonth = addDays(today, 60).slice(0, 7);
const dueOnDay = (day: number): CalendarDate => `${deadlineMonth}-${String(day).padStart(2, '0')}` as CalendarDate;
/** Born so that an 18-year age limit (US-TX) ends on that day; arrived so that the one-year asylum deadline ends on it. */
const bornForAgeOutOn = (due: CalendarDate): CalendarDate => addYears(addDays(due, 1), -18);
const arrivedForDeadlineOn = (due: CalendarDate): CalendarDate => addYears(addDays(due, 1), -1);

interface Facts {
  childId: string; relativeId: string; documentId: string; matterId: string;
  birthDate: CalendarDate; arrivalDate: CalendarDate; sijJurisdiction: string; custodyJurisdiction: string;
  languages: string[]; detainedOn: string; agency: string; separatedOn: string;
  hiddenId: string; hiddenName: string; hiddenRelationship: string;
}

const BASE: Facts = {
  childId: 'sofia', relativeId: 'mother', documentId: 'birth', matterId: 'custody',
  birthDate: bornForAgeOutOn(dueOnDay(13)), arrivalDate: arrivedForDeadlineOn(dueOnDay(10)), sijJurisdiction: 'US-TX', custodyJurisdiction: 'MX-PUE',
  languages: ['es'], detainedOn: '2024-03-05', agency: 'DIF', separatedOn: '2024-02-01',
  hiddenId: 'uncle', hiddenName: 'Brutus', hiddenRelationship: 'UNCLE',
};

/** A family with every withheld fact in it, referred to the partner at `scope` and accepted. */
const openFamily = async (facts: Facts, scope: PartnerScope): Promise<string> => {
  const lead = keys['lead']!;
  const id = dataOf(await gql(lead, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
  const steps: Array<[string, Record<string, unknown>]> = [
    ['registerChild', { childId: facts.childId, givenName: 'Ana', birthDate: facts.birthDate, nationality: 'MX', languages: facts.languages, arrivalDate: facts.arrivalDate }],
    ['addRelative', { relativeId: facts.relativeId, relationship: 'MOTHER', givenName: 'Inés' }],
    ['addRelative', { relativeId: facts.hiddenId, relationship: facts.hiddenRelationship, givenName: facts.hiddenName }],
    ['recordProtectionConcern', { concernId: 'concern', kind: 'TRAFFICKING', neverDiscloseTo: [facts.hiddenId], subjectPersonId: facts.childId }],
    ['startTracing', { relativeId: facts.relativeId, defenderOrganizationId: 'docs-org' }],
    ['startTracing', { relativeId: facts.hiddenId, defenderOrganizationId: 'docs-org' }],
    ['recordSeparation', { separatedOn: facts.separatedOn, cause: 'TRAFFICKING', childIds: [facts.childId] }],
    ['recordChildDetained', { childId: facts.childId, agency: facts.agency, detainedOn: facts.detainedOn }],
    ['requestDocument', { documentId: facts.documentId, documentType: 'BIRTH_CERTIFICATE', issuingCountry: 'MX', assignedOrganizationId: 'docs-org' }],
    ['openLegalMatter', { matterId: `${facts.matterId}-sij`, matterType: 'SIJ', childId: facts.childId, jurisdiction: facts.sijJurisdiction }],
    ['openLegalMatter', { matterId: `${facts.matterId}-asylum`, matterType: 'ASYLUM', childId: facts.childId, jurisdiction: 'US' }],
    ['openLegalMatter', { matterId: facts.matterId, matterType: 'MEXICAN_CUSTODY', childId: facts.childId, jurisdiction: facts.custodyJurisdiction }],
    ['giveConsent', { consentId: 'consent', personId: facts.relativeId, purposes: ['follow the case'], recipientOrganizationIds: [PARTNER_ORG[scope]] }],
    ['referFamily', { referralId: 'share', toOrganizationId: PARTNER_ORG[scope], purpose: 'follow the case', scope }],
  ];
  for (const [mutation, input] of steps) {
    dataOf(await gql(lead, `mutation($input: ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { revision } }`, { input: { familyId: id, ...input } }));
  }
  dataOf(await gql(keys[scope]!, 'mutation($id: ID!) { acceptReferral(input: { familyId: $id, referralId: "share" }) { revision } }', { id }));
  return id;
};

/** Fields that exist before and after the fix, so the comparison runs (and fails) on the old code too; and the Child and Relative fields of issue 14 (status, blockers, placement history, languages, interpreter and medical needs). */
const FAMILY = `query($id: ID!) {
  family(id: $id) { id status programme blockers
    children { id givenName birthDate birthDateEstimated nationality arrivalDate custody placement custodyRecovered ageReviewRequired
      status blockers placementHistory { change on placement agency relativeId country facility } languages needsInterpreter medicalNeeds }
    relatives { id givenName relationship locationStatus locatedCountry notLocatedSince adverse preference languages needsInterpreter }
    documents { id documentType status needsLegalisation needsTranslation needsService legalised translated served signed }
    legalMatters { id matterType status jurisdiction childId }
    deadlines { id familyId kind dueOn daysLeft status }
    nextDeadline { id kind dueOn daysLeft }
    referrals { id scope status toOrganization { id } } }
}`;
const HISTORY = 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { totalCount edges { node { type revision data } } } }';

/** What the partner sees of the family and its history, with the family's own id (generated, different in every family) replaced. */
const seenBy = async (scope: PartnerScope, familyId: string): Promise<string> => {
  const family = dataOf(await gql(keys[scope]!, FAMILY, { id: familyId }));
  const history = dataOf(await gql(keys[scope]!, HISTORY, { id: familyId }));
  return JSON.stringify({ ...family, ...history }).replaceAll(familyId, 'FAMILY');
};

/** `tracker export` without a key, one run: each family's lines (type, revision, data), its id replaced. */
const exportedByFamily = (): Map<string, string> => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/cli/tracker-cli.ts', 'export'], {
    cwd: ROOT, env: { ...process.env, TRACKER_DATA_DIR: temp.dir }, encoding: 'utf8', timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const families = new Map<string, string[]>();
  for (const line of run.stdout.trim().split('\n')) {
    const { familyId, type, revision, data } = JSON.parse(line) as { familyId: string; type: string; revision: number; data: unknown };
    families.set(familyId, [...(families.get(familyId) ?? []), JSON.stringify({ type, revision, data }).replaceAll(familyId, 'FAMILY')]);
  }
  return new Map([...families].map(([id, lines]) => [id, lines.join('\n')]));
};

beforeAll(async () => {
  // Hundreds of requests with one key in a burst; the per-key rate limit has its own test.
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  for (const org of ['lead-org', 'docs-org', 'status-org']) await registerOrganization(tracker.url, ADMIN, org);
  keys['lead'] = await issueKey(tracker.url, ADMIN, 'lead-org', 'lena', 'ADVOCATE');
  keys['DOCUMENTS'] = await issueKey(tracker.url, ADMIN, 'docs-org', 'dora', 'ADVOCATE');
  keys['STATUS'] = await issueKey(tracker.url, ADMIN, 'status-org', 'stan', 'PARTNER');
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

/** For each fact a scope withholds: the same family with that fact changed. */
const WITHHELD: Array<[PartnerScope, string, Partial<Facts>]> = [
  ['STATUS', 'the birth date (through the SIJ age-out due date and its blocker)', { birthDate: bornForAgeOutOn(dueOnDay(21)) }],
  ['STATUS', 'the arrival date (through the asylum one-year deadline and its blocker)', { arrivalDate: arrivedForDeadlineOn(dueOnDay(24)) }],
  ['STATUS', "the custody matter's jurisdiction", { custodyJurisdiction: 'MX-OAX' }],
  ['STATUS', 'the languages in history', { languages: ['es', 'mixteco'] }],
  ['STATUS', 'the detention date in history', { detainedOn: '2024-04-17' }],
  ['STATUS', 'the separation date in history', { separatedOn: '2023-11-20' }],
  ['STATUS', 'the detaining agency in history', { agency: 'CBP' }],
  ['STATUS', 'the person named in "never disclose to", and the id in the list', { hiddenId: 'grandpa', hiddenName: 'Cassius', hiddenRelationship: 'GRANDPARENT' }],
  ['STATUS', 'the ids the lead chose', { childId: 'maria', relativeId: 'mama', documentId: 'acta', matterId: 'tutela' }],
  ['DOCUMENTS', "the custody matter's jurisdiction", { custodyJurisdiction: 'MX-OAX' }],
  ['DOCUMENTS', "the SIJ court's state (through the age-out due date, with the birth date known)", { sijJurisdiction: 'US-NY' }],
  ['DOCUMENTS', 'the detaining agency in history', { agency: 'CBP' }],
  ['DOCUMENTS', 'the person named in "never disclose to", and the id in the list', { hiddenId: 'grandpa', hiddenName: 'Cassius', hiddenRelationship: 'GRANDPARENT' }],
];

describe('no field visible below FULL determines a withheld fact', () => {
  it.each(WITHHELD)('%s scope: %s', async (scope, _fact, change) => {
    const base = await openFamily(BASE, scope);
    const changed = await openFamily({ ...BASE, ...change }, scope);
    expect(await seenBy(scope, changed)).toBe(await seenBy(scope, base));
  });

  it('STATUS sees no id the lead chose, and DOCUMENTS not the hidden relative', async () => {
    const id = await openFamily(BASE, 'STATUS');
    const status = await seenBy('STATUS', id);
    for (const chosen of [':"sofia"', ':"mother"', ':"birth"', ':"custody', ':"uncle"', '["uncle"]']) expect(status).not.toContain(chosen);
    const documents = await seenBy('DOCUMENTS', await openFamily(BASE, 'DOCUMENTS'));
    expect(documents).toContain('"sofia"');
    for (const hidden of ['Brutus', '"uncle"', 'UNCLE']) expect(documents).not.toContain(hidden);
  });

  it('`tracker export` without a key: the same for families that differ in any fact STATUS withholds', async () => {
    const base = await openFamily(BASE, 'STATUS');
    const changed: string[] = [];
    for (const [, , change] of WITHHELD.filter(([scope]) => scope === 'STATUS')) changed.push(await openFamily({ ...BASE, ...change }, 'STATUS'));
    const lines = exportedByFamily();
    expect(lines.get(base)).toContain('ChildRegistered');
    for (const id of changed) expect(lines.get(id)).toBe(lines.get(base));
  }, 120_000);
});

describe('a STATUS partner learns deadlines by month only', () => {
  /** Fields that exist before and after the fix (the comparisons fail on the old code for the leak, not for the query). */
  const DEADLINES = 'query($d: Int!) { upcomingDeadlines(withinDays: $d) { familyId kind dueOn daysLeft } }';
  const AGING = 'query($d: Int!) { families(first: 100, filter: { agingOutWithinDays: $d }) { edges { node { id } } } }';

  it('upcomingDeadlines and agingOutWithinDays tell nothing of an SIJ age-out (its month is the month of birth)', async () => {
    const id = await openFamily(BASE, 'STATUS');
    const daysToAgeOut = daysBetween(today, dueOnDay(13));
    const ageOut = async (days: number, query = DEADLINES, key = keys['STATUS']!) =>
      (dataOf(await gql(key, query, { d: days })).upcomingDeadlines as Array<{ familyId: string; kind: string }>)
        .filter((deadline) => deadline.familyId === id && deadline.kind === 'SIJ_AGE_OUT');
    const aging = async (days: number) =>
      (dataOf(await gql(keys['STATUS']!, AGING, { d: days })).families.edges as Array<{ node: { id: string } }>).some((edge) => edge.node.id === id);
    for (const days of [daysToAgeOut - 40, daysToAgeOut - 1, daysToAgeOut, daysToAgeOut + 40]) {
      expect(await ageOut(days)).toEqual([]);
      expect(await aging(days)).toBe(false);
    }
    const family = dataOf(await gql(keys['STATUS']!, 'query($id: ID!) { family(id: $id) { deadlines { kind dueOn dueMonth monthsLeft } } }', { id })).family;
    expect(family.deadlines.filter((deadline: { kind: string }) => deadline.kind === 'SIJ_AGE_OUT')).toEqual([{ kind: 'SIJ_AGE_OUT', dueOn: null, dueMonth: null, monthsLeft: null }]);
    // The lead sees the day.
    expect(await ageOut(daysToAgeOut, DEADLINES, keys['lead'])).toEqual([{ familyId: id, kind: 'SIJ_AGE_OUT', dueOn: dueOnDay(13), daysLeft: daysToAgeOut }]);
  });
});
