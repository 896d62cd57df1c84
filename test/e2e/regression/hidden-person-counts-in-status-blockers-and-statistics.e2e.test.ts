import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../../support/in-process-tracker.js';

/**
 * Regression (issue 12 follow-up, leak 1): status, blockers and counts were computed on the
 * whole family, people hidden from the caller included. A partner of a family with a relative
 * hidden by "never disclose to" (still sought, a document and a red flag about him) read the
 * family SEARCHING while every relative it could see was located, "1 open red flag", a document
 * about nobody it could see, the hidden man among the unlocated relatives of `statistics`, in
 * the `status` and `hasUnlocatedRelative` filters, in `caseload` and in the status-change feed.
 *
 * The check: two lead organisations each open the same family, one of them with the hidden
 * uncle as well, and refer it to their own partner at STATUS and DOCUMENTS scope. Everything
 * each partner reads (the family, its children, filtered lists, statistics, caseload, the feed,
 * and the history's event types) is the same for both families once their own ids are replaced.
 */
const ADMIN = 'hidden-counts-admin-key-0123456789';
const temp = makeTempDir('tracker-hidden-counts-');
let tracker: Tracker;
const keys: Record<string, string> = {};
type Variant = 'plain' | 'hidden';
type PartnerScope = 'STATUS' | 'DOCUMENTS';
const partnerOrg = (variant: Variant, scope: PartnerScope): string => `${variant}-${scope.toLowerCase()}-org`;
const families: Partial<Record<Variant, string>> = {};

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => postGraphQL(tracker.url, key, query, variables);
const mutate = async (key: string, mutation: string, input: Record<string, unknown>): Promise<void> => {
  dataOf(await gql(key, `mutation($input: ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { revision } }`, { input }));
};

const openFamily = async (variant: Variant): Promise<string> => {
  const lead = keys[`lead-${variant}`]!;
  const id = dataOf(await gql(lead, 'mutation { openFamilyCase(input: { programme: SEPARATED_FAMILY }) { family { id } } }')).openFamilyCase.family.id as string;
  const steps: Array<[string, Record<string, unknown>]> = [
    ['registerChild', { childId: 'ana', givenName: 'Ana', birthDate: '2015-04-02', nationality: 'HN' }],
    ['addRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: 'Inés' }],
    ['recordSeparation', { separatedOn: '2024-02-01', cause: 'PARENT_DETAINED', childIds: ['ana'] }],
    ['startTracing', { relativeId: 'mother', defenderOrganizationId: partnerOrg(variant, 'DOCUMENTS') }],
    ['recordParentLocated', { relativeId: 'mother', country: 'HN', method: 'PHONE' }],
    ...(variant === 'hidden' ? [['addRelative', { relativeId: 'uncle', relationship: 'UNCLE', givenName: 'Brutus' }] as [string, Record<string, unknown>]] : []),
    // Both families record the concern; only one names someone in it never to tell.
    ['recordProtectionConcern', { concernId: 'concern', kind: 'TRAFFICKING', neverDiscloseTo: variant === 'hidden' ? ['uncle'] : [], subjectPersonId: 'ana' }],
  ];
  if (variant === 'hidden') {
    steps.push(
      ['startTracing', { relativeId: 'uncle', defenderOrganizationId: partnerOrg(variant, 'DOCUMENTS') }],
      ['requestDocument', { documentId: 'uncle-id', documentType: 'IDENTITY_DOCUMENT', issuingCountry: 'HN', assignedOrganizationId: partnerOrg(variant, 'DOCUMENTS'), subjectPersonId: 'uncle' }],
      ['raiseRedFlag', { flagId: 'flag', category: 'IDENTITY_DOUBT', subjectPersonId: 'uncle' }],
    );
  }
  // Sharing needs a consent in force covering the recipient and the purpose (issue 14).
  steps.push(['giveConsent', { consentId: 'consent', personId: 'ana', purposes: ['follow the case'], recipientOrganizationIds: [partnerOrg(variant, 'STATUS'), partnerOrg(variant, 'DOCUMENTS')] }]);
  for (const scope of ['STATUS', 'DOCUMENTS'] as const) {
    steps.push(['referFamily', { referralId: `share-${scope}`, toOrganizationId: partnerOrg(variant, scope), purpose: 'follow the case', scope }]);
  }
  for (const [mutation, input] of steps) await mutate(lead, mutation, { familyId: id, ...input });
  for (const scope of ['STATUS', 'DOCUMENTS'] as const) await mutate(keys[`${variant}-${scope}`]!, 'acceptReferral', { familyId: id, referralId: `share-${scope}` });
  return id;
};

const FAMILY = `query($id: ID!) {
  family(id: $id) { status blockers
    children { id status blockers }
    relatives { id relationship locationStatus }
    documents { id documentType status } }
}`;
const LISTS = `{
  searching: families(filter: { status: [SEARCHING] }) { totalCount }
  inContact: families(filter: { status: [IN_CONTACT] }) { totalCount }
  unlocated: families(filter: { hasUnlocatedRelative: true }) { totalCount }
  statistics { familiesByStatusAndCountry { status country families } unlocatedRelatives { country monthsSinceSeparation relatives } }
  caseload { status families }
  familyStatusChanges(first: 100) { changes { previousStatus status } }
}`;
const TYPES = 'query($id: ID!) { familyHistory(familyId: $id, first: 100) { edges { node { type } } } }';

/** What one partner reads, its family's id and its own organisation's names replaced. */
const seenBy = async (variant: Variant, scope: PartnerScope): Promise<string> => {
  const key = keys[`${variant}-${scope}`]!;
  const id = families[variant]!;
  const family = dataOf(await gql(key, FAMILY, { id }));
  const lists = dataOf(await gql(key, LISTS));
  // Event types other than withheld ones: a type that only the hidden man's events have tells he exists.
  const types = (dataOf(await gql(key, TYPES, { id })).familyHistory.edges as Array<{ node: { type: string } }>)
    .map((edge) => edge.node.type).filter((type) => type !== 'WITHHELD');
  return JSON.stringify({ family, lists, types: [...new Set(types)].sort() }).replaceAll(id, 'FAMILY').replaceAll(variant, 'VARIANT');
};

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN, TRACKER_RATE_LIMIT_REQUESTS: '0' });
  for (const variant of ['plain', 'hidden'] as const) {
    await registerOrganization(tracker.url, ADMIN, `lead-${variant}-org`);
    keys[`lead-${variant}`] = await issueKey(tracker.url, ADMIN, `lead-${variant}-org`, `lena-${variant}`, 'ADVOCATE');
    for (const scope of ['STATUS', 'DOCUMENTS'] as const) {
      await registerOrganization(tracker.url, ADMIN, partnerOrg(variant, scope));
      keys[`${variant}-${scope}`] = await issueKey(tracker.url, ADMIN, partnerOrg(variant, scope), `pat-${variant}-${scope}`, 'PARTNER');
    }
  }
  families.plain = await openFamily('plain');
  families.hidden = await openFamily('hidden');
}, 120_000);
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('a person hidden from the caller changes none of the figures the caller reads', () => {
  it.each(['STATUS', 'DOCUMENTS'] as const)('at %s scope the family with the hidden uncle reads like the one without', async (scope) => {
    expect(await seenBy('hidden', scope)).toBe(await seenBy('plain', scope));
  });

  it('the lead still sees the uncle: the family is SEARCHING, with the red flag and his document', async () => {
    const family = dataOf(await gql(keys['lead-hidden']!, FAMILY, { id: families.hidden })).family;
    expect(family.status).toBe('SEARCHING');
    expect(family.blockers).toContain('1 open red flag');
    expect(family.documents).toHaveLength(1);
    const partner = dataOf(await gql(keys['hidden-DOCUMENTS']!, FAMILY, { id: families.hidden })).family;
    expect(partner.status).toBe('IN_CONTACT');
  });

  it('an ADVOCATE of another organisation counts both families alike in the caseload of every organisation', async () => {
    const entries = dataOf(await gql(keys['lead-plain']!, '{ caseload { organization { id } status families } }')).caseload as Array<{ organization: { id: string }; status: string; families: number }>;
    const of = (org: string) => entries.filter((entry) => entry.organization.id === org).map(({ status, families: n }) => ({ status, n }));
    expect(of('lead-hidden-org')).toEqual(of('lead-plain-org'));
  });
});
