import { addDays, addYears, dateOf, type CalendarDate } from '../../services/shared/calendar-date.js';
import type { CountryCode } from '../../services/shared/countries.js';
import type { FamilyCommandInput } from '../../services/family/commands.js';
import type { Actor } from '../../services/shared/decider.js';

export interface DemoOrganizations {
  readonly usLegal: Actor;
  readonly mxDefenders: Actor;
  readonly hnDefenders: Actor;
  readonly ncLegal: Actor;
}

/** `daysAgo`: when the step happened in the world (its occurredAt), for realistic "since" dates. */
export type Step = { readonly by: Actor; readonly command: FamilyCommandInput; readonly daysAgo?: number };

const c = (code: string): CountryCode => code as CountryCode;

/**
 * The five case patterns of DOMAIN.md as demo families, dated relative to today so that their
 * deadlines are near or far whenever the demo runs. Names are invented.
 */
export const demoFamilies = (orgs: DemoOrganizations, now: Date): Array<{ key: string; steps: Step[] }> => {
  // Defenders act on a family only once it is referred to them (with a consent that covers it) and they accepted.
  const today = dateOf(now.toISOString());
  const daysAgo = (n: number): CalendarDate => addDays(today, -n);
  const us = orgs.usLegal;
  const mx = orgs.mxDefenders;
  const hn = orgs.hnDefenders;
  const s = (by: Actor, command: Step['command'], daysAgo?: number): Step => ({ by, command, ...(daysAgo === undefined ? {} : { daysAgo }) });
  return [
    {
      key: 'age-out-race',
      steps: [
        s(us, { type: 'OpenFamilyCase', leadOrganizationId: us.organizationId, programme: 'SIJ' }),
        s(us, { type: 'RegisterChild', childId: 'child-lupita', givenName: 'Lupita', familyName: 'Reyes', birthDate: addDays(addYears(today, -18), 45), birthDateEstimated: false, nationality: c('MX'), languages: ['es', 'en'], needsInterpreter: false, arrivalDate: addYears(today, -12) }),
        s(us, { type: 'AddRelative', relativeId: 'mother-rosa', relationship: 'MOTHER', givenName: 'Rosa', biological: true, vitalStatus: 'ALIVE', adverse: false }),
        s(us, { type: 'AddRelative', relativeId: 'father-ramon', relationship: 'FATHER', givenName: 'Ramón', biological: true, vitalStatus: 'ALIVE', adverse: true }),
        s(us, { type: 'OpenLegalMatter', matterId: 'sij-lupita', matterType: 'SIJ', childId: 'child-lupita', jurisdiction: 'US-TX' }),
        s(us, { type: 'GiveConsent', consentId: 'consent-rosa', personId: 'mother-rosa', purposes: ['Locate and serve the father'], recipientOrganizationIds: [mx.organizationId] }),
        s(us, { type: 'ReferFamily', referralId: 'referral-tracing', toOrganizationId: mx.organizationId, purpose: 'Locate and serve the father', scope: 'FULL' }),
        s(mx, { type: 'AcceptReferral', referralId: 'referral-tracing' }),
        s(us, { type: 'StartTracing', relativeId: 'father-ramon', defenderOrganizationId: mx.organizationId, region: c('MX') }, 40),
        s(mx, { type: 'RecordContactAttempt', relativeId: 'father-ramon', channel: 'PHONE', result: 'WRONG_NUMBER' }),
        s(mx, { type: 'RecordLead', relativeId: 'father-ramon', lead: 'Number from neighbours in the village' }),
        s(us, { type: 'RequestDocument', documentId: 'papers-ramon', documentType: 'COURT_PAPERS', issuingCountry: c('US'), assignedOrganizationId: mx.organizationId, subjectPersonId: 'father-ramon', needsLegalisation: false, needsTranslation: true, needsService: true }),
        s(us, { type: 'RecordDocumentObtained', documentId: 'papers-ramon' }),
      ],
    },
    {
      key: 'transfer-before-deadline',
      steps: [
        s(us, { type: 'OpenFamilyCase', leadOrganizationId: us.organizationId, programme: 'ASYLUM' }),
        s(us, { type: 'RegisterChild', childId: 'child-maria', givenName: 'María', birthDate: addYears(today, -15), birthDateEstimated: false, nationality: c('GT'), languages: ['es', 'kiche'], needsInterpreter: true, arrivalDate: addDays(addYears(today, -1), 21) }),
        s(us, { type: 'AddRelative', relativeId: 'mother-elena', relationship: 'MOTHER', givenName: 'Elena', biological: true, vitalStatus: 'ALIVE', adverse: false }),
        s(us, { type: 'RecordChildDetained', childId: 'child-maria', agency: 'ORR', detainedOn: daysAgo(330), facility: 'Shelter, Texas' }),
        s(us, { type: 'RecordChildReleased', childId: 'child-maria', releasedOn: daysAgo(300), releasedToRelativeId: 'mother-elena', placement: 'RELATIVE' }),
        s(us, { type: 'OpenLegalMatter', matterId: 'asylum-maria', matterType: 'ASYLUM', childId: 'child-maria', jurisdiction: 'US' }),
        s(us, { type: 'OpenLegalMatter', matterId: 'sij-maria', matterType: 'SIJ', childId: 'child-maria', jurisdiction: 'US-NC' }),
        s(us, { type: 'GiveConsent', consentId: 'consent-elena', personId: 'mother-elena', purposes: ['transfer'], recipientOrganizationIds: [orgs.ncLegal.organizationId] }),
        s(us, { type: 'TransferFamily', toOrganizationId: orgs.ncLegal.organizationId, previousLeadKeepsReadAccess: true }),
        s(orgs.ncLegal, { type: 'AcceptTransfer' }),
      ],
    },
    {
      key: 'custody-across-borders',
      steps: [
        s(us, { type: 'OpenFamilyCase', leadOrganizationId: us.organizationId, programme: 'TRAFFICKING_REUNIFICATION' }),
        s(us, { type: 'RegisterChild', childId: 'child-sofia', givenName: 'Sofía', birthDate: addYears(today, -9), birthDateEstimated: false, nationality: c('MX'), languages: ['es'], needsInterpreter: false }),
        s(us, { type: 'AddRelative', relativeId: 'mother-ines', relationship: 'MOTHER', givenName: 'Inés', biological: true, vitalStatus: 'ALIVE', adverse: false }),
        s(us, { type: 'AddRelative', relativeId: 'captors', relationship: 'OTHER_CAREGIVER', givenName: 'Trafficker family', biological: false, vitalStatus: 'ALIVE', adverse: true }),
        s(us, { type: 'RecordProtectionConcern', concernId: 'concern-1', kind: 'TRAFFICKING', neverDiscloseTo: ['captors'], subjectPersonId: 'child-sofia', narrative: 'Held by the trafficker family; never disclose her location.' }),
        s(us, { type: 'GiveConsent', consentId: 'consent-ines', personId: 'mother-ines', purposes: ['Mexican custody proceeding'], recipientOrganizationIds: [mx.organizationId] }),
        s(us, { type: 'ReferFamily', referralId: 'referral-mx', toOrganizationId: mx.organizationId, purpose: 'Mexican custody proceeding', scope: 'FULL' }),
        s(mx, { type: 'AcceptReferral', referralId: 'referral-mx' }),
        // Opened before its petition was filed (a filing may not precede the opening of its matter).
        s(mx, { type: 'OpenLegalMatter', matterId: 'custody-sofia', matterType: 'MEXICAN_CUSTODY', childId: 'child-sofia', jurisdiction: 'MX-PUE' }, 420),
        s(mx, { type: 'RecordPetitionFiled', matterId: 'custody-sofia', filedOn: daysAgo(400) }),
        s(mx, { type: 'ScheduleHearing', matterId: 'custody-sofia', hearingOn: addDays(today, 9), deadlineId: 'hearing-sofia' }),
        s(mx, { type: 'RequestDocument', documentId: 'passport-sofia', documentType: 'PASSPORT', issuingCountry: c('MX'), assignedOrganizationId: mx.organizationId, subjectPersonId: 'child-sofia', needsLegalisation: false, needsTranslation: false, needsService: false }),
        s(mx, { type: 'RequestDocument', documentId: 'birth-sofia', documentType: 'BIRTH_CERTIFICATE', issuingCountry: c('MX'), assignedOrganizationId: mx.organizationId, subjectPersonId: 'child-sofia', needsLegalisation: true, needsTranslation: true, needsService: false }),
        s(mx, { type: 'RecordDocumentObtained', documentId: 'birth-sofia' }),
        s(mx, { type: 'RecordDocumentApostilled', documentId: 'birth-sofia', method: 'APOSTILLE' }),
      ],
    },
    {
      key: 'children-in-detention',
      steps: [
        s(us, { type: 'OpenFamilyCase', leadOrganizationId: us.organizationId, programme: 'DETENTION' }),
        s(us, { type: 'RegisterChild', childId: 'child-luis', givenName: 'Luis', birthDate: addYears(today, -2), birthDateEstimated: true, nationality: c('NI'), languages: ['es'], needsInterpreter: false, medicalNeeds: 'Severe medical needs: cardiology follow-up; daily medication' }),
        s(us, { type: 'RegisterChild', childId: 'child-kevin', givenName: 'Kevin', birthDate: addYears(today, -12), birthDateEstimated: false, nationality: c('NI'), languages: ['es'], needsInterpreter: false }),
        s(us, { type: 'AddRelative', relativeId: 'stepfather-carlos', relationship: 'STEPFATHER', givenName: 'Carlos', biological: false, vitalStatus: 'ALIVE', adverse: false }),
        s(us, { type: 'AddRelative', relativeId: 'mother-marta', relationship: 'MOTHER', givenName: 'Marta', biological: true, vitalStatus: 'ALIVE', adverse: false }),
        s(us, { type: 'RecordSeparation', separatedOn: daysAgo(210), cause: 'SEPARATED_AT_BORDER', childIds: ['child-luis', 'child-kevin'] }),
        s(us, { type: 'RecordChildDetained', childId: 'child-luis', agency: 'ORR', detainedOn: daysAgo(210), facility: 'Shelter, Arizona' }),
        s(us, { type: 'RecordChildDetained', childId: 'child-kevin', agency: 'ORR', detainedOn: daysAgo(210), facility: 'Shelter, Arizona' }),
        s(us, { type: 'GiveConsent', consentId: 'consent-marta', personId: 'stepfather-carlos', purposes: ['Locate the mother; birth certificate'], recipientOrganizationIds: [hn.organizationId] }),
        s(us, { type: 'ReferFamily', referralId: 'referral-ni', toOrganizationId: hn.organizationId, purpose: 'Locate the mother; birth certificate', scope: 'DOCUMENTS' }),
        s(hn, { type: 'AcceptReferral', referralId: 'referral-ni' }),
        s(us, { type: 'StartTracing', relativeId: 'mother-marta', defenderOrganizationId: hn.organizationId, region: c('NI') }, 200),
        s(hn, { type: 'RecordParentLocated', relativeId: 'mother-marta', country: c('NI'), method: 'PARTNER_NGO', place: 'Matagalpa' }),
        s(hn, { type: 'RecordContactEstablished', relativeId: 'mother-marta', safeContactInstructions: 'Call the parish office first' }),
        s(us, { type: 'RequestDocument', documentId: 'birth-luis', documentType: 'BIRTH_CERTIFICATE', issuingCountry: c('NI'), assignedOrganizationId: hn.organizationId, subjectPersonId: 'child-luis', needsLegalisation: true, needsTranslation: true, needsService: false }),
      ],
    },
    {
      key: 'deported-parent',
      steps: [
        s(us, { type: 'OpenFamilyCase', leadOrganizationId: us.organizationId, programme: 'SEPARATED_FAMILY' }),
        s(us, { type: 'RegisterChild', childId: 'child-jose', givenName: 'José', birthDate: addYears(today, -14), birthDateEstimated: false, nationality: c('HN'), languages: ['es'], needsInterpreter: false }),
        s(us, { type: 'AddRelative', relativeId: 'father-oscar', relationship: 'FATHER', givenName: 'Oscar', phone: '+504 9999 0000', biological: true, vitalStatus: 'ALIVE', adverse: false }),
        s(us, { type: 'AddRelative', relativeId: 'aunt-gloria', relationship: 'AUNT', givenName: 'Gloria', biological: true, vitalStatus: 'ALIVE', adverse: false }),
        s(us, { type: 'RecordSeparation', separatedOn: addYears(today, -6), cause: 'PARENT_DEPORTED', childIds: ['child-jose'] }),
        s(us, { type: 'GiveConsent', consentId: 'consent-jose', personId: 'child-jose', purposes: ['Locate the deported father'], recipientOrganizationIds: [hn.organizationId] }),
        s(us, { type: 'ReferFamily', referralId: 'referral-hn', toOrganizationId: hn.organizationId, purpose: 'Locate the deported father', scope: 'DOCUMENTS' }),
        s(hn, { type: 'AcceptReferral', referralId: 'referral-hn' }),
        s(us, { type: 'StartTracing', relativeId: 'father-oscar', defenderOrganizationId: hn.organizationId, region: c('HN') }, 5 * 365),
        s(hn, { type: 'RecordContactAttempt', relativeId: 'father-oscar', channel: 'PHONE', result: 'NO_ANSWER' }),
        s(hn, { type: 'RecordContactAttempt', relativeId: 'father-oscar', channel: 'PHONE', result: 'WRONG_NUMBER' }),
        s(hn, { type: 'RecordPersonUnreachable', relativeId: 'father-oscar' }),
        s(us, { type: 'StartTracing', relativeId: 'aunt-gloria', defenderOrganizationId: hn.organizationId, region: c('HN') }, 120),
      ],
    },
  ];
};
