import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyCommandOf, FamilyCommandType } from '../../../services/family/commands.js';
import { blockers, nextDeadline, reunificationStatus } from '../../../services/family/status.js';
import type { Actor } from '../../../services/shared/decider.js';
import { command, country, date } from '../../support/family-fixtures.js';
import { openFamilyHarness, type FamilyHarness } from '../../support/family-harness.js';

/**
 * The five case patterns of DOMAIN.md, driven through the command handler on a real SQLite
 * file, checking the status and blockers an advocate would see at each milestone.
 */
let h: FamilyHarness;
beforeAll(async () => {
  h = openFamilyHarness();
  await h.organizations('org-us-legal', 'org-mx-defenders', 'org-nc-legal', 'org-ni', 'org-hn', 'org-other');
});
afterAll(() => h.close());

/** A case file: commands issued on given days by a given organisation. */
const caseFile = (familyId: string, actor: Actor) => {
  let day = '2024-01-01';
  const at = () => `${day}T15:00:00.000Z`;
  return {
    on: (next: string) => {
      day = next;
    },
    run: <T extends FamilyCommandType>(type: T, fields: Omit<FamilyCommandOf<T>, 'type' | 'familyId' | 'actor' | 'issuedAt' | 'occurredAt'>, by: Actor = actor) =>
      h.execute(command(type, { ...fields, familyId, actor: by, issuedAt: at(), occurredAt: at() })),
    view: async () => {
      const state = await h.state(familyId);
      return { status: reunificationStatus(state), blockers: blockers(state, date(day)), next: nextDeadline(state) };
    },
  };
};

const US_ATTORNEY: Actor = { userId: 'att-1', organizationId: 'org-us-legal', role: 'ADVOCATE' };
const MX_DEFENDER: Actor = { userId: 'def-1', organizationId: 'org-mx-defenders', role: 'ADVOCATE' };
const NC_ATTORNEY: Actor = { userId: 'att-nc', organizationId: 'org-nc-legal', role: 'ADVOCATE' };

describe('case patterns (DOMAIN.md)', () => {
  it('1. age-out race (SIJ): father found and served before the age-out date', async () => {
    const c = caseFile('age-out', US_ATTORNEY);
    c.on('2024-06-10');
    await c.run('OpenFamilyCase', { leadOrganizationId: 'org-us-legal', programme: 'SIJ' });
    await c.run('RegisterChild', { childId: 'girl', givenName: 'Lupita', birthDate: date('2006-08-15'), birthDateEstimated: false, nationality: country('MX'), languages: ['es', 'en'], needsInterpreter: false, arrivalDate: date('2012-02-01') });
    await c.run('AddRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: 'Rosa', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await c.run('AddRelative', { relativeId: 'father', relationship: 'FATHER', givenName: 'Ramón', biological: true, vitalStatus: 'ALIVE', adverse: true });
    await c.run('OpenLegalMatter', { matterId: 'sij', matterType: 'SIJ', childId: 'girl', jurisdiction: 'US-TX' });
    await c.run('StartTracing', { relativeId: 'father', defenderOrganizationId: 'org-mx-defenders' });
    // The Defenders act on the family once it is referred to them (with the family's consent) and they accepted.
    await c.run('GiveConsent', { consentId: 'consent', personId: 'mother', purposes: ['locate and serve the father'], recipientOrganizationIds: ['org-mx-defenders'] });
    await c.run('ReferFamily', { referralId: 'tracing', toOrganizationId: 'org-mx-defenders', purpose: 'locate and serve the father', scope: 'FULL' });
    await c.run('AcceptReferral', { referralId: 'tracing' }, MX_DEFENDER);
    expect(await c.view()).toMatchObject({ status: 'SEARCHING', blockers: ['father not located since 2024-06-10', 'SIJ age-out in 65 days'], next: { kind: 'SIJ_AGE_OUT', dueOn: '2024-08-14' } });

    c.on('2024-06-20');
    await c.run('RecordContactAttempt', { relativeId: 'father', channel: 'PHONE', result: 'WRONG_NUMBER' }, MX_DEFENDER);
    await c.run('RecordLead', { relativeId: 'father', lead: 'number from neighbours' }, MX_DEFENDER);
    await c.run('RecordParentLocated', { relativeId: 'father', country: country('MX'), method: 'NEIGHBOURS', place: 'seven hours by bus' }, MX_DEFENDER);
    await c.run('RequestDocument', { documentId: 'papers', documentType: 'COURT_PAPERS', issuingCountry: country('US'), assignedOrganizationId: 'org-mx-defenders', subjectPersonId: 'father', needsLegalisation: false, needsTranslation: false, needsService: true });
    await c.run('RecordDocumentObtained', { documentId: 'papers' });
    expect(await c.view()).toMatchObject({ status: 'LEGAL_PROCESS', blockers: ['court papers awaiting service', 'SIJ age-out in 55 days'] });

    c.on('2024-07-02');
    await c.run('RecordDocumentServed', { documentId: 'papers', servedPersonId: 'father' }, MX_DEFENDER);
    await c.run('RecordDocumentSigned', { documentId: 'papers', signedByPersonId: 'father' }, MX_DEFENDER);
    await c.run('RecordPetitionFiled', { matterId: 'sij', filedOn: date('2024-07-02') });
    await c.run('ScheduleHearing', { matterId: 'sij', hearingOn: date('2024-08-09'), deadlineId: 'hearing-1' });
    expect(await c.view()).toMatchObject({ status: 'LEGAL_PROCESS', blockers: ['hearing in 38 days', 'SIJ age-out in 43 days'] });

    c.on('2024-08-09');
    await c.run('RecordCourtOrder', { matterId: 'sij', orderType: 'SIJ_FINDINGS', issuedOn: date('2024-08-09') });
    await c.run('RecordDeadlineMet', { deadlineId: 'hearing-1' });
    // Set when the child was registered in the SIJ programme (not only once the matter opened): the child's id.
    await c.run('RecordDeadlineMet', { deadlineId: 'girl-sij-age-out' });
    await c.run('RecordDocumentFiled', { documentId: 'papers' });
    expect(await c.view()).toMatchObject({ status: 'LEGAL_PROCESS', blockers: [] });
  });

  it('2. transfer before the asylum deadline, then a stop-work order', async () => {
    const c = caseFile('transfer', US_ATTORNEY);
    c.on('2024-01-15');
    await c.run('OpenFamilyCase', { leadOrganizationId: 'org-us-legal', programme: 'ASYLUM' });
    await c.run('RegisterChild', { childId: 'girl', givenName: 'María', birthDate: date('2009-04-02'), birthDateEstimated: false, nationality: country('GT'), languages: ['es'], needsInterpreter: false, arrivalDate: date('2023-03-10') });
    await c.run('AddRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: 'Elena', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await c.run('RecordChildDetained', { childId: 'girl', agency: 'ORR', detainedOn: date('2023-03-11') });
    await c.run('RecordChildReleased', { childId: 'girl', releasedOn: date('2023-05-01'), releasedToRelativeId: 'mother', placement: 'RELATIVE' });
    await c.run('RecordReunification', { childId: 'girl', relativeId: 'mother', reunifiedOn: date('2023-05-01'), country: country('US'), place: 'New York' });
    expect((await c.view()).status).toBe('REUNIFIED');

    await c.run('OpenLegalMatter', { matterId: 'asylum', matterType: 'ASYLUM', childId: 'girl', jurisdiction: 'US' });
    c.on('2024-02-16');
    expect((await c.view()).blockers).toEqual(['asylum one-year filing deadline in 22 days']);

    await c.run('GiveConsent', { consentId: 'consent', personId: 'mother', purposes: ['transfer'], recipientOrganizationIds: ['org-nc-legal', 'org-other'] });
    await c.run('TransferFamily', { toOrganizationId: 'org-nc-legal', previousLeadKeepsReadAccess: true });
    expect((await h.state('transfer')).leadOrganizationId).not.toBe('org-nc-legal');
    await c.run('AcceptTransfer', {}, NC_ATTORNEY);
    const state = await h.state('transfer');
    expect(state.leadOrganizationId).toBe('org-nc-legal');
    // Set when the child was registered in the ASYLUM programme with an arrival date: the child's id.
    expect(state.deadlines.get('girl-asylum-one-year')?.status).toBe('OPEN');

    c.on('2024-03-06');
    await c.run('RecordPetitionFiled', { matterId: 'asylum', filedOn: date('2024-03-06') }, NC_ATTORNEY);
    await c.run('RecordDeadlineMet', { deadlineId: 'girl-asylum-one-year' }, NC_ATTORNEY);
    expect((await c.view()).blockers).toEqual([]);

    // The funder's stop-work order over the organisation's asylum programme (docs/STOP-WORK.md):
    // new work needs a recorded reason; a hand-off to an organisation not under it stays possible.
    c.on('2024-03-07');
    await h.stopWork('org-nc-legal', 'funder-order', 'ASYLUM');
    await expect(c.run('AddRelative', { relativeId: 'aunt', relationship: 'AUNT', givenName: 'Ana', biological: true, vitalStatus: 'ALIVE', adverse: false }, NC_ATTORNEY))
      .rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await c.run('TransferFamily', { toOrganizationId: 'org-other', previousLeadKeepsReadAccess: false }, NC_ATTORNEY);
    expect((await h.state('transfer')).pendingTransfer?.toOrganizationId).toBe('org-other');
  });

  it('3. custody across borders (trafficking): recovered in a Mexican court, documents, reunited', async () => {
    const c = caseFile('trafficking', US_ATTORNEY);
    c.on('2022-03-01');
    await c.run('OpenFamilyCase', { leadOrganizationId: 'org-us-legal', programme: 'TRAFFICKING_REUNIFICATION' });
    await c.run('RegisterChild', { childId: 'daughter', givenName: 'Sofía', birthDate: date('2014-09-09'), birthDateEstimated: false, nationality: country('MX'), languages: ['es'], needsInterpreter: false });
    await c.run('AddRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: 'Inés', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await c.run('AddRelative', { relativeId: 'captors', relationship: 'OTHER_CAREGIVER', givenName: 'Trafficker family', biological: false, vitalStatus: 'ALIVE', adverse: true });
    await c.run('RecordProtectionConcern', { concernId: 'pc', kind: 'TRAFFICKING', neverDiscloseTo: ['captors'], subjectPersonId: 'daughter' });
    await c.run('ChangeChildPlacement', { childId: 'daughter', placement: 'WITH_TRAFFICKER_FAMILY', changedOn: date('2022-03-01') });
    await c.run('GiveConsent', { consentId: 'consent', personId: 'mother', purposes: ['custody proceeding'], recipientOrganizationIds: ['org-mx-defenders'] });
    await c.run('ReferFamily', { referralId: 'mx-law', toOrganizationId: 'org-mx-defenders', purpose: 'custody proceeding', scope: 'FULL' });
    await c.run('AcceptReferral', { referralId: 'mx-law' }, MX_DEFENDER);
    await c.run('OpenLegalMatter', { matterId: 'custody', matterType: 'MEXICAN_CUSTODY', childId: 'daughter', jurisdiction: 'MX-PUE' }, MX_DEFENDER);
    expect((await c.view()).status).toBe('LEGAL_PROCESS');

    c.on('2023-06-01');
    await c.run('RecordPetitionFiled', { matterId: 'custody', filedOn: date('2022-05-01') }, MX_DEFENDER);
    await c.run('RecordCourtOrder', { matterId: 'custody', orderType: 'CUSTODY_ORDER', issuedOn: date('2023-05-20') }, MX_DEFENDER);
    for (const [id, type] of [['passport', 'PASSPORT'], ['birth', 'BIRTH_CERTIFICATE']] as const) {
      await c.run('RequestDocument', { documentId: id, documentType: type, issuingCountry: country('MX'), assignedOrganizationId: 'org-mx-defenders', subjectPersonId: 'daughter', needsLegalisation: true, needsTranslation: true, needsService: false }, MX_DEFENDER);
    }
    await c.run('RecordDocumentObtained', { documentId: 'birth' }, MX_DEFENDER);
    await c.run('RecordDocumentApostilled', { documentId: 'birth', method: 'APOSTILLE' }, MX_DEFENDER);
    expect((await c.view()).blockers).toEqual(['passport requested, not yet obtained', 'birth certificate awaiting certified translation']);

    await c.run('RecordCustodyRecovered', { matterId: 'custody', childId: 'daughter', recoveredOn: date('2023-06-01') }, MX_DEFENDER);
    expect((await c.view()).status).toBe('READY_TO_REUNIFY');

    c.on('2024-03-01');
    await c.run('RecordReunification', { childId: 'daughter', relativeId: 'mother', reunifiedOn: date('2024-03-01'), country: country('US'), place: 'New York' });
    await expect(c.run('PlanReunification', { childId: 'daughter', relativeId: 'captors' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await c.view()).status).toBe('REUNIFIED');
    await c.run('RecordFollowUp', { childId: 'daughter', note: 'settled in school' });
    await c.run('CloseFamilyCase', { reason: 'REUNIFIED_FOLLOW_UP_DONE' });
    expect(await c.view()).toMatchObject({ status: 'CLOSED', blockers: [] });
  });

  it('4. children in detention: a stepfather not biologically related, documents gathered, return home', async () => {
    const c = caseFile('detention', US_ATTORNEY);
    c.on('2023-01-10');
    await c.run('OpenFamilyCase', { leadOrganizationId: 'org-us-legal', programme: 'DETENTION' });
    await c.run('RegisterChild', { childId: 'boy', givenName: 'Luis', birthDate: date('2021-02-01'), birthDateEstimated: true, nationality: country('NI'), languages: ['es'], needsInterpreter: false });
    await c.run('AddRelative', { relativeId: 'stepfather', relationship: 'STEPFATHER', givenName: 'Carlos', biological: false, vitalStatus: 'ALIVE', adverse: false });
    await c.run('AddRelative', { relativeId: 'mother', relationship: 'MOTHER', givenName: 'Marta', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await c.run('RecordSeparation', { separatedOn: date('2023-01-05'), cause: 'SEPARATED_AT_BORDER', childIds: ['boy'] });
    await c.run('RecordChildDetained', { childId: 'boy', agency: 'ORR', detainedOn: date('2023-01-05'), facility: 'shelter' });
    await c.run('StartTracing', { relativeId: 'mother', defenderOrganizationId: 'org-ni' });
    // A detained child's detention is a blocker of its own (issue 14, item 1). The stepfather is
    // not biologically related: until his relationship is verified (or a reunification with
    // someone else is planned) it is a blocker, and reunification with him is refused (item 2).
    expect(await c.view()).toMatchObject({ status: 'SEARCHING', blockers: ['still detained since 2023-01-05', 'mother not located since 2023-01-10', 'stepfather: relationship not verified'] });
    await expect(c.run('PlanReunification', { childId: 'boy', relativeId: 'stepfather' })).rejects.toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringMatching(/not biologically related/) });

    c.on('2023-03-01');
    await c.run('RecordParentLocated', { relativeId: 'mother', country: country('NI'), method: 'PARTNER_NGO' });
    await c.run('RecordContactEstablished', { relativeId: 'mother' });
    await c.run('RecordPreference', { relativeId: 'mother', preference: 'CHILD_RETURNS_HOME' });
    expect((await c.view()).status).toBe('IN_CONTACT');
    await c.run('RequestDocument', { documentId: 'birth', documentType: 'BIRTH_CERTIFICATE', issuingCountry: country('NI'), assignedOrganizationId: 'org-ni', subjectPersonId: 'boy', needsLegalisation: true, needsTranslation: false, needsService: false });
    expect(await c.view()).toMatchObject({ status: 'LEGAL_PROCESS', blockers: ['still detained since 2023-01-05', 'birth certificate requested, not yet obtained', 'stepfather: relationship not verified'] });

    c.on('2023-08-01');
    await c.run('RecordDocumentObtained', { documentId: 'birth' });
    await c.run('RecordDocumentApostilled', { documentId: 'birth', method: 'CONSULAR_LEGALISATION' });
    await c.run('RecordRelationshipVerified', { relativeId: 'mother', method: 'DOCUMENT', biological: true });
    await c.run('RecordIdentityVerified', { personId: 'mother', method: 'DOCUMENT' });
    await c.run('RecordSafetyAssessment', { relativeId: 'mother', outcome: 'SAFE' });
    await c.run('PlanReunification', { childId: 'boy', relativeId: 'mother' });
    expect(await c.view()).toMatchObject({ status: 'READY_TO_REUNIFY', blockers: ['still detained since 2023-01-05'] });
    await c.run('RecordChildRepatriated', { childId: 'boy', country: country('NI'), repatriatedOn: date('2023-08-01') });
    const repatriated = (await h.state('detention')).children.get('boy');
    expect(repatriated).toMatchObject({ custody: 'REPATRIATED', placement: undefined });
    expect(repatriated?.placementHistory.map((step) => [step.change, step.on, step.personal?.facility])).toEqual([['DETAINED', '2023-01-05', 'shelter'], ['REPATRIATED', '2023-08-01', undefined]]);
    expect((await c.view()).blockers).toEqual(['repatriated on 2023-08-01, reunification not yet recorded']);
    await c.run('RecordReunification', { childId: 'boy', relativeId: 'mother', reunifiedOn: date('2023-08-01'), country: country('NI') });
    expect((await c.view()).status).toBe('REUNIFIED');
  });

  it('5. deported parents: old phone numbers, unreachable, located years later', async () => {
    const c = caseFile('deported', US_ATTORNEY);
    c.on('2018-07-01');
    await c.run('OpenFamilyCase', { leadOrganizationId: 'org-us-legal', programme: 'SEPARATED_FAMILY' });
    await c.run('RegisterChild', { childId: 'child', givenName: 'Kevin', birthDate: date('2011-11-11'), birthDateEstimated: false, nationality: country('HN'), languages: ['es'], needsInterpreter: false });
    await c.run('AddRelative', { relativeId: 'father', relationship: 'FATHER', givenName: 'Oscar', phone: '+504 0000 0000', biological: true, vitalStatus: 'ALIVE', adverse: false });
    await c.run('RecordSeparation', { separatedOn: date('2018-05-20'), cause: 'PARENT_DEPORTED', childIds: ['child'] });
    await c.run('StartTracing', { relativeId: 'father', defenderOrganizationId: 'org-hn' });
    c.on('2019-03-02');
    for (const result of ['NO_ANSWER', 'WRONG_NUMBER', 'NO_ANSWER'] as const) {
      await c.run('RecordContactAttempt', { relativeId: 'father', channel: 'PHONE', result });
    }
    await c.run('RecordPersonUnreachable', { relativeId: 'father' });
    expect(await c.view()).toMatchObject({ status: 'SEARCHING', blockers: ['father unreachable'] });

    c.on('2021-09-01');
    await c.run('StartTracing', { relativeId: 'father', defenderOrganizationId: 'org-hn' });
    await c.run('RecordParentLocated', { relativeId: 'father', country: country('HN'), method: 'FIELD_VISIT', place: 'village' });
    await c.run('RecordPreference', { relativeId: 'father', preference: 'CHILD_STAYS_FOR_PROTECTION' });
    expect(await c.view()).toMatchObject({ status: 'IN_CONTACT', blockers: [] });
    const state = await h.state('deported');
    expect(state.relatives.get('father')).toMatchObject({ location: 'LOCATED', locatedCountry: 'HN', preference: 'CHILD_STAYS_FOR_PROTECTION' });
  });
});
