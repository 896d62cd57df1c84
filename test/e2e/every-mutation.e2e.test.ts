import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILY_MUTATIONS, mutationName } from '../../schema/mutations/family-mutation-specs.js';
import { postGraphQL } from '../support/graphql-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTrackerInProcess, type Tracker } from '../support/in-process-tracker.js';

/**
 * Every family mutation's success path over HTTP, in an order the rules allow, on families of
 * the caller's organisation (the lead is the bootstrap admin's system organisation here).
 * The test fails if a mutation exists that this sequence does not run.
 */
const KEY = 'every-mutation-admin-key-012345';
const temp = makeTempDir('tracker-every-mutation-');
let tracker: Tracker;

const call = async (name: string, input: Record<string, unknown>) => {
  const type = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  const query = `mutation($input: ${type}!) { ${name}(input: $input) { revision replayed family { id status } } }`;
  return (await postGraphQL(tracker.url, KEY, query, { input })) as {
    data?: Record<string, { revision: number; family: { id: string; status: string } }>;
    errors?: unknown[];
  };
};

type Step = readonly [string, Record<string, unknown>];

const main = (familyId = ''): Step[] => [
  ['registerChild', { childId: 'c1', givenName: 'Ana', birthDate: '2008-05-05', nationality: 'HN', arrivalDate: '2023-01-15' }],
  ['registerChild', { childId: 'c2', givenName: 'Beto', birthDate: '2012-01-01', nationality: 'HN' }],
  ['recordMedicalNeeds', { childId: 'c2', medicalNeeds: 'asthma: inhaler twice a day' }],
  ['correctChildBirthDate', { childId: 'c2', birthDate: '2012-02-01' }],
  ['correctChildArrivalDate', { childId: 'c1', arrivalDate: '2023-01-20' }],
  ['addRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: 'Marta' }],
  ['addRelative', { relativeId: 'father', relationship: 'FATHER', givenName: 'Luis' }],
  ['recordRelationship', { relativeId: 'father', childId: 'c2', relationship: 'STEPFATHER', biological: false }],
  ['recordIdentifier', { personId: 'c1', kind: 'A_NUMBER', value: 'A123456789' }],
  ['decidePossibleDuplicate', { personId: 'c2', otherFamilyId: familyId, otherPersonId: 'c1', samePerson: false, reason: 'different birth dates' }],
  ['giveConsent', { consentId: 'consent', personId: 'mother', purposes: ['tracing'], recipientOrganizationIds: ['partner'] }],
  ['withdrawConsent', { consentId: 'consent' }],
  // Sharing needs a consent in force that covers the recipient and the purpose.
  ['giveConsent', { consentId: 'sharing', personId: 'mother', purposes: ['tracing', 'access', 'transfer'], recipientOrganizationIds: ['partner', 'auditors', 'another-org'] }],
  ['recordProtectionConcern', { concernId: 'pc', kind: 'ABUSE', neverDiscloseTo: ['father'], subjectPersonId: 'c1' }],
  ['recordSeparation', { separatedOn: '2023-01-15', cause: 'SEPARATED_AT_BORDER', childIds: ['c1', 'c2'] }],
  ['recordChildDetained', { childId: 'c1', agency: 'ORR', detainedOn: '2023-01-16' }],
  ['recordChildTransferred', { childId: 'c1', transferredOn: '2023-02-01' }],
  ['recordChildReleased', { childId: 'c1', releasedOn: '2023-03-01', placement: 'SPONSOR' }],
  ['changeChildPlacement', { childId: 'c1', placement: 'RELATIVE', changedOn: '2023-04-01' }],
  ['startTracing', { relativeId: 'mother', defenderOrganizationId: 'defenders' }],
  ['recordContactAttempt', { relativeId: 'mother', channel: 'PHONE', result: 'NO_ANSWER' }],
  ['recordLead', { relativeId: 'mother', lead: 'a cousin' }],
  ['recordPersonUnreachable', { relativeId: 'mother' }],
  // Dated in the world so that the reunification below (2023-09-01) follows the location.
  ['startTracing', { relativeId: 'mother', defenderOrganizationId: 'defenders', occurredAt: '2023-01-18T12:00:00Z' }],
  ['recordParentLocated', { relativeId: 'mother', country: 'HN', method: 'FIELD_VISIT', occurredAt: '2023-01-20T12:00:00Z' }],
  ['recordContactEstablished', { relativeId: 'mother' }],
  ['recordPreference', { relativeId: 'mother', preference: 'CHILD_RETURNS_HOME' }],
  ['recordIdentityVerified', { personId: 'mother', method: 'DOCUMENT' }],
  ['recordRelationshipVerified', { relativeId: 'mother', method: 'DNA', biological: true }],
  ['recordSafetyAssessment', { relativeId: 'mother', outcome: 'SAFE' }],
  ['raiseRedFlag', { flagId: 'flag', category: 'IDENTITY_DOUBT', subjectPersonId: 'father' }],
  ['clearRedFlag', { flagId: 'flag' }],
  ['recordSafetyOverride', { overrideId: 'override', childId: 'c2', personId: 'father', gate: 'OPEN_RED_FLAG', reason: 'reviewed by the supervising attorney' }],
  ['requestDocument', { documentId: 'doc', documentType: 'BIRTH_CERTIFICATE', issuingCountry: 'HN', assignedOrganizationId: 'defenders', needsLegalisation: true, needsTranslation: true, needsService: true }],
  ['recordDocumentObtained', { documentId: 'doc' }],
  ['recordDocumentApostilled', { documentId: 'doc' }],
  ['recordDocumentTranslated', { documentId: 'doc', language: 'en' }],
  ['recordDocumentServed', { documentId: 'doc', servedPersonId: 'father' }],
  ['recordDocumentSigned', { documentId: 'doc', signedByPersonId: 'father' }],
  ['recordDocumentFiled', { documentId: 'doc' }],
  ['recordPersonDeceased', { relativeId: 'father' }],
  ['requestDocument', { documentId: 'passport', documentType: 'PASSPORT', issuingCountry: 'HN', assignedOrganizationId: 'defenders' }],
  ['recordDocumentObtained', { documentId: 'passport' }],
  ['recordDocumentExpired', { documentId: 'passport' }],
  ['openLegalMatter', { matterId: 'sij', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-NY', occurredAt: '2023-04-20T12:00:00Z' }],
  ['recordPetitionFiled', { matterId: 'sij', filedOn: '2023-05-01' }],
  ['scheduleHearing', { matterId: 'sij', hearingOn: '2099-01-01', deadlineId: 'hearing' }],
  ['recordCourtOrder', { matterId: 'sij', orderType: 'SIJ_FINDINGS', issuedOn: '2023-06-01' }],
  ['recordApplicationDecided', { matterId: 'sij', decision: 'GRANTED', decidedOn: '2023-07-01' }],
  ['openLegalMatter', { matterId: 'custody', matterType: 'FAMILY_COURT_CUSTODY', childId: 'c2', jurisdiction: 'US-NY', occurredAt: '2023-04-20T12:00:00Z' }],
  ['recordPetitionFiled', { matterId: 'custody', filedOn: '2023-05-01' }],
  ['recordCustodyRecovered', { matterId: 'custody', childId: 'c2', recoveredOn: '2023-08-01' }],
  ['setDeadline', { deadlineId: 'window', kind: 'RESPONSE_WINDOW', dueOn: '2099-02-01' }],
  ['recordDeadlineMet', { deadlineId: 'window' }],
  ['recordDeadlineMissed', { deadlineId: 'hearing' }],
  ['referFamily', { referralId: 'ref1', toOrganizationId: 'partner', purpose: 'tracing', scope: 'STATUS' }],
  ['revokeReferral', { referralId: 'ref1' }],
  ['grantAccess', { grantId: 'grant', organizationId: 'auditors', scope: 'STATUS' }],
  ['revokeAccess', { grantId: 'grant' }],
  ['suspendService', { reason: 'funder stop-work order' }],
  ['resumeService', {}],
  ['planReunification', { childId: 'c1', relativeId: 'mother' }],
  ['recordReunificationFailed', { childId: 'c2', relativeId: 'mother', reason: 'home study pending' }],
  ['recordChildRepatriated', { childId: 'c1', country: 'HN', repatriatedOn: '2023-09-01' }],
  ['recordReunification', { childId: 'c1', relativeId: 'mother', reunifiedOn: '2023-09-01', country: 'HN' }],
  ['recordFollowUp', { childId: 'c1', note: 'settled' }],
  ['closeFamilyCase', { reason: 'OTHER' }],
  ['reopenFamilyCase', { reason: 'new information' }],
  ['transferFamily', { toOrganizationId: 'another-org', previousLeadKeepsReadAccess: true }],
  ['cancelTransfer', {}],
  ['placeLegalHold', { holdId: 'hold', reason: 'LITIGATION' }],
  ['liftLegalHold', { holdId: 'hold' }],
  ['eraseSubject', { subjectId: 'c2', reason: 'GUARDIAN_REQUEST' }],
];

/** Organisations the steps give work or access to: they must exist. */
const NAMED_ORGANIZATIONS = ['partner', 'defenders', 'auditors', 'another-org'];

beforeAll(async () => {
  tracker = await startTrackerInProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: KEY });
  for (const id of NAMED_ORGANIZATIONS) {
    const registered = await postGraphQL(tracker.url, KEY, `mutation { registerOrganization(input: { organizationId: "${id}", name: "${id}", kind: LEGAL_SERVICE_PROVIDER }) { replayed } }`);
    expect(registered.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

describe('every family mutation over HTTP', () => {
  it('covers every mutation the schema offers', () => {
    const run = new Set(['openFamilyCase', 'acceptReferral', 'declineReferral', 'acceptTransfer', 'declineTransfer', 'revokeFormerLeadAccess', ...main().map(([name]) => name)]);
    expect(Object.keys(FAMILY_MUTATIONS).map(mutationName).filter((name) => !run.has(name))).toEqual([]);
  });

  it('runs each success path in a legal order, one revision at a time', async () => {
    const opened = await call('openFamilyCase', { programme: 'SEPARATED_FAMILY' });
    expect(opened.errors).toBeUndefined();
    const familyId = opened.data!['openFamilyCase']!.family.id;
    let revision = 0;
    for (const [name, input] of main(familyId)) {
      const result = await call(name, { familyId, ...input });
      expect(result.errors, name).toBeUndefined();
      expect(result.data![name]!.revision, name).toBeGreaterThan(revision);
      revision = result.data![name]!.revision;
    }
  });

  it('runs the answers to referrals and transfers as the receiving organisation', async () => {
    // The caller (system) opens a family and hands it to another organisation, which refers it back.
    await postGraphQL(tracker.url, KEY, 'mutation { registerOrganization(input: { organizationId: "lead-org", name: "Lead", kind: LEGAL_SERVICE_PROVIDER }) { replayed } }');
    const leadKey = (await postGraphQL(tracker.url, KEY, 'mutation { issueApiKey(input: { organizationId: "lead-org", userId: "lead", userName: "Lead", role: ADVOCATE, label: "e2e" }) { apiKey } }')).data.issueApiKey.apiKey as string;
    const opened = await call('openFamilyCase', { programme: 'ASYLUM' });
    const familyId = opened.data!['openFamilyCase']!.family.id;
    expect((await call('registerChild', { familyId, childId: 'c1', givenName: 'Ana', birthDate: '2012-01-01', nationality: 'HN' })).errors).toBeUndefined();
    expect((await call('giveConsent', { familyId, consentId: 'both-ways', personId: 'c1', purposes: ['transfer', 'p'], recipientOrganizationIds: ['lead-org', 'system'] })).errors).toBeUndefined();
    expect((await call('transferFamily', { familyId, toOrganizationId: 'lead-org', previousLeadKeepsReadAccess: true })).errors).toBeUndefined();
    const accepted = await postGraphQL(tracker.url, leadKey, `mutation { acceptTransfer(input: { familyId: "${familyId}" }) { revision } }`);
    expect(accepted.errors).toBeUndefined();
    // The new lead ends the read access the former lead (system) kept.
    const revoked = await postGraphQL(tracker.url, leadKey, `mutation { revokeFormerLeadAccess(input: { familyId: "${familyId}", organizationId: "system" }) { revision } }`);
    expect(revoked.errors).toBeUndefined();
    for (const [referral, answer] of [['r-accept', 'acceptReferral'], ['r-decline', 'declineReferral']] as const) {
      const referred = await postGraphQL(tracker.url, leadKey, `mutation { referFamily(input: { familyId: "${familyId}", referralId: "${referral}", toOrganizationId: "system", purpose: "p", scope: FULL }) { revision } }`);
      expect(referred.errors).toBeUndefined();
      const answered = await call(answer, { familyId, referralId: referral });
      expect(answered.errors, answer).toBeUndefined();
    }
    const offered = await postGraphQL(tracker.url, leadKey, `mutation { transferFamily(input: { familyId: "${familyId}", toOrganizationId: "system" }) { revision } }`);
    expect(offered.errors).toBeUndefined();
    expect((await call('declineTransfer', { familyId })).errors).toBeUndefined();
  });
});
