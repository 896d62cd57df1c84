import { rule } from '../shared/domain-error.js';
import type { FamilyCommandOf, FamilyCommandType } from './commands.js';
import type { FamilyEvent } from './events.js';
import { existing, requireNew, requirePerson, requireTransition } from './lookups.js';
import type { DocumentState, FamilyState } from './state.js';
import { DOCUMENT } from './transitions.js';

const documentStep = (s: FamilyState, type: FamilyCommandType, documentId: string): DocumentState => {
  const document = existing(s.documents, documentId, 'documentId', rule`document`);
  requireTransition(DOCUMENT, type, document.status, rule`the document`);
  return document;
};

export const requestDocument = (c: FamilyCommandOf<'RequestDocument'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.documents, c.documentId, 'documentId', rule`document`);
  if (c.subjectPersonId) requirePerson(s, c.subjectPersonId, 'subjectPersonId');
  return [{
    type: 'DocumentRequested',
    data: {
      documentId: c.documentId, documentType: c.documentType, issuingCountry: c.issuingCountry, assignedOrganizationId: c.assignedOrganizationId,
      needsLegalisation: c.needsLegalisation, needsTranslation: c.needsTranslation, needsService: c.needsService,
      ...(c.subjectPersonId ? { subjectPersonId: c.subjectPersonId } : {}),
    },
  }];
};

export const recordDocumentObtained = (c: FamilyCommandOf<'RecordDocumentObtained'>, s: FamilyState): FamilyEvent[] => {
  documentStep(s, c.type, c.documentId);
  return [{ type: 'DocumentObtained', data: { documentId: c.documentId } }];
};

export const recordDocumentApostilled = (c: FamilyCommandOf<'RecordDocumentApostilled'>, s: FamilyState): FamilyEvent[] => {
  documentStep(s, c.type, c.documentId);
  return [{ type: 'DocumentApostilled', data: { documentId: c.documentId, method: c.method } }];
};

export const recordDocumentTranslated = (c: FamilyCommandOf<'RecordDocumentTranslated'>, s: FamilyState): FamilyEvent[] => {
  documentStep(s, c.type, c.documentId);
  return [{ type: 'DocumentTranslated', data: { documentId: c.documentId, language: c.language } }];
};

export const recordDocumentServed = (c: FamilyCommandOf<'RecordDocumentServed'>, s: FamilyState): FamilyEvent[] => {
  documentStep(s, c.type, c.documentId);
  existing(s.relatives, c.servedPersonId, 'servedPersonId', rule`relative`);
  return [{ type: 'DocumentServed', data: { documentId: c.documentId, servedPersonId: c.servedPersonId } }];
};

export const recordDocumentSigned = (c: FamilyCommandOf<'RecordDocumentSigned'>, s: FamilyState): FamilyEvent[] => {
  documentStep(s, c.type, c.documentId);
  requirePerson(s, c.signedByPersonId, 'signedByPersonId');
  return [{ type: 'DocumentSigned', data: { documentId: c.documentId, signedByPersonId: c.signedByPersonId } }];
};

export const recordDocumentFiled = (c: FamilyCommandOf<'RecordDocumentFiled'>, s: FamilyState): FamilyEvent[] => {
  documentStep(s, c.type, c.documentId);
  return [{ type: 'DocumentFiled', data: { documentId: c.documentId } }];
};

export const recordDocumentExpired = (c: FamilyCommandOf<'RecordDocumentExpired'>, s: FamilyState): FamilyEvent[] => {
  documentStep(s, c.type, c.documentId);
  return [{ type: 'DocumentExpired', data: { documentId: c.documentId } }];
};
