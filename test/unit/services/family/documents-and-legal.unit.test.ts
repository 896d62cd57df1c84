import { describe, expect, it } from 'vitest';
import {
  childRegistered, country, date, documentObtained, documentRequested, event, given, matterOpened, opened, petitionFiled, rejected, relativeAdded, when,
} from '../../../support/family-fixtures.js';

const requested = given(opened, childRegistered(), relativeAdded(), documentRequested());
const obtained = given(opened, childRegistered(), relativeAdded(), documentRequested(), documentObtained());

describe('family decider: documents', () => {
  it('requests a document with what it will need', () => {
    expect(when(given(opened, childRegistered()), 'RequestDocument', {
      documentId: 'doc-1', documentType: 'PASSPORT', issuingCountry: country('MX'), assignedOrganizationId: 'org-mx',
      subjectPersonId: 'child-1', needsLegalisation: true, needsTranslation: true, needsService: false,
    })[0]).toMatchObject({ type: 'DocumentRequested', data: { documentType: 'PASSPORT', needsLegalisation: true } });
    rejected(requested, 'RequestDocument', { documentId: 'doc-1', documentType: 'PASSPORT', issuingCountry: country('MX'), assignedOrganizationId: 'o', needsLegalisation: false, needsTranslation: false, needsService: false }, 'BAD_USER_INPUT', /already exists/);
    rejected(given(opened), 'RequestDocument', { documentId: 'doc-2', documentType: 'PASSPORT', issuingCountry: country('MX'), assignedOrganizationId: 'o', subjectPersonId: 'ghost', needsLegalisation: false, needsTranslation: false, needsService: false }, 'NOT_FOUND');
  });

  it.each([
    ['RecordDocumentApostilled', { documentId: 'doc-1', method: 'APOSTILLE' }],
    ['RecordDocumentTranslated', { documentId: 'doc-1', language: 'en' }],
    ['RecordDocumentServed', { documentId: 'doc-1', servedPersonId: 'father-1' }],
    ['RecordDocumentSigned', { documentId: 'doc-1', signedByPersonId: 'father-1' }],
    ['RecordDocumentFiled', { documentId: 'doc-1' }],
    ['RecordDocumentExpired', { documentId: 'doc-1' }],
  ] as const)('%s only after the document is obtained', (type, fields) => {
    rejected(requested, type, fields as never, 'INVALID_TRANSITION', /the document is REQUESTED \(allowed from OBTAINED\)/);
    expect(when(obtained, type, fields as never)).toHaveLength(1);
  });

  it('obtains a requested document once; unknown documents are NOT_FOUND', () => {
    expect(when(requested, 'RecordDocumentObtained', { documentId: 'doc-1' })).toEqual([{ type: 'DocumentObtained', data: { documentId: 'doc-1' } }]);
    rejected(obtained, 'RecordDocumentObtained', { documentId: 'doc-1' }, 'INVALID_TRANSITION', /OBTAINED/);
    rejected(requested, 'RecordDocumentObtained', { documentId: 'doc-9' }, 'NOT_FOUND', undefined, 'documentId');
  });

  it('takes no more steps on a filed or expired document', () => {
    const filed = given(opened, documentRequested(), documentObtained(), event('DocumentFiled', { documentId: 'doc-1' }));
    rejected(filed, 'RecordDocumentApostilled', { documentId: 'doc-1', method: 'APOSTILLE' }, 'INVALID_TRANSITION', /FILED/);
    const expired = given(opened, documentRequested(), documentObtained(), event('DocumentExpired', { documentId: 'doc-1' }));
    rejected(expired, 'RecordDocumentTranslated', { documentId: 'doc-1', language: 'en' }, 'INVALID_TRANSITION', /EXPIRED/);
  });

  it('serves a document only on a known relative', () => {
    rejected(obtained, 'RecordDocumentServed', { documentId: 'doc-1', servedPersonId: 'child-1' }, 'NOT_FOUND', undefined, 'servedPersonId');
  });
});

describe('family decider: legal matters', () => {
  const open = given(opened, childRegistered(), matterOpened());
  const filed = given(opened, childRegistered(), matterOpened(), petitionFiled());

  it('opens a matter for a known child in a well-formed jurisdiction', () => {
    expect(when(given(opened, childRegistered()), 'OpenLegalMatter', { matterId: 'm', matterType: 'T_VISA_DERIVATIVE', childId: 'child-1', jurisdiction: 'US-NY' })).toHaveLength(1);
    rejected(given(opened), 'OpenLegalMatter', { matterId: 'm', matterType: 'SIJ', childId: 'ghost', jurisdiction: 'US-NY' }, 'NOT_FOUND', undefined, 'childId');
    rejected(given(opened, childRegistered()), 'OpenLegalMatter', { matterId: 'm', matterType: 'SIJ', childId: 'child-1', jurisdiction: 'new york' }, 'BAD_USER_INPUT', undefined, 'jurisdiction');
    rejected(open, 'OpenLegalMatter', { matterId: 'matter-1', matterType: 'SIJ', childId: 'child-1', jurisdiction: 'US-NY' }, 'BAD_USER_INPUT', /already exists/);
  });

  it('needs a filed petition before a court order', () => {
    rejected(open, 'RecordCourtOrder', { matterId: 'matter-1', orderType: 'CUSTODY_ORDER', issuedOn: date('2024-03-01') }, 'INVALID_TRANSITION', /the legal matter is OPEN/);
    expect(when(filed, 'RecordCourtOrder', { matterId: 'matter-1', orderType: 'CUSTODY_ORDER', issuedOn: date('2024-03-01') })[0]?.type).toBe('CourtOrderIssued');
  });

  it('files a petition once, keeping the receipt number personal', () => {
    expect(when(open, 'RecordPetitionFiled', { matterId: 'matter-1', filedOn: date('2024-02-01'), receiptNumber: 'EAC123' })[0]).toMatchObject({
      data: { personal: { subjectId: 'child-1', receiptNumber: 'EAC123' } },
    });
    rejected(filed, 'RecordPetitionFiled', { matterId: 'matter-1', filedOn: date('2024-02-01') }, 'INVALID_TRANSITION');
  });

  it('schedules a hearing after filing, and the hearing becomes a deadline', () => {
    expect(when(filed, 'ScheduleHearing', { matterId: 'matter-1', hearingOn: date('2024-07-01'), deadlineId: 'h-1' })).toEqual([
      { type: 'HearingScheduled', data: { matterId: 'matter-1', hearingOn: '2024-07-01' } },
      { type: 'DeadlineSet', data: { deadlineId: 'h-1', kind: 'HEARING', dueOn: '2024-07-01', matterId: 'matter-1', childId: 'child-1' } },
    ]);
    rejected(open, 'ScheduleHearing', { matterId: 'matter-1', hearingOn: date('2024-07-01'), deadlineId: 'h-1' }, 'INVALID_TRANSITION');
  });

  it('recovers custody only within an open custody matter with a filed petition', () => {
    expect(when(filed, 'RecordCustodyRecovered', { matterId: 'matter-1', childId: 'child-1', recoveredOn: date('2024-04-01') })[0]?.type).toBe('CustodyRecovered');
    rejected(open, 'RecordCustodyRecovered', { matterId: 'matter-1', childId: 'child-1', recoveredOn: date('2024-04-01') }, 'INVALID_TRANSITION', /OPEN/);
    const sij = given(opened, childRegistered(), matterOpened('sij-1', 'SIJ', 'child-1', 'US-NY'), petitionFiled('sij-1'));
    rejected(sij, 'RecordCustodyRecovered', { matterId: 'sij-1', childId: 'child-1', recoveredOn: date('2024-04-01') }, 'INVALID_TRANSITION', /not a custody matter/);
    const decided = given(opened, childRegistered(), matterOpened(), petitionFiled(), event('ApplicationDecided', { matterId: 'matter-1', decision: 'DENIED', decidedOn: date('2024-03-01') }));
    rejected(decided, 'RecordCustodyRecovered', { matterId: 'matter-1', childId: 'child-1', recoveredOn: date('2024-04-01') }, 'INVALID_TRANSITION', /DECIDED/);
    rejected(filed, 'RecordCustodyRecovered', { matterId: 'matter-1', childId: 'child-2', recoveredOn: date('2024-04-01') }, 'NOT_FOUND', undefined, 'childId');
  });

  it('decides an application after filing', () => {
    expect(when(filed, 'RecordApplicationDecided', { matterId: 'matter-1', decision: 'GRANTED', decidedOn: date('2024-05-01') })[0]?.type).toBe('ApplicationDecided');
    rejected(open, 'RecordApplicationDecided', { matterId: 'matter-1', decision: 'GRANTED', decidedOn: date('2024-05-01') }, 'INVALID_TRANSITION');
    rejected(filed, 'RecordApplicationDecided', { matterId: 'matter-1', decision: 'GRANTED', decidedOn: date('2024-09-01') }, 'BAD_USER_INPUT', undefined, 'decidedOn');
  });
});
