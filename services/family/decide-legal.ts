import { dateOf } from '../shared/calendar-date.js';
import { badInput, invalidTransition, known, notFound, rule } from '../shared/domain-error.js';
import type { FamilyCommandOf, FamilyCommandType } from './commands.js';
import type { FamilyEvent } from './events.js';
import { existing, requireNew, requireTransition } from './lookups.js';
import type { FamilyState, MatterState } from './state.js';
import { DEADLINE, LEGAL_MATTER } from './transitions.js';
import { CUSTODY_MATTERS } from './vocabulary.js';
import { pastDate } from './world-dates.js';

const matterStep = (s: FamilyState, type: FamilyCommandType, matterId: string): MatterState => {
  const matter = existing(s.matters, matterId, 'matterId', rule`legal matter`);
  requireTransition(LEGAL_MATTER, type, matter.status, rule`the legal matter`);
  return matter;
};

const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

export const openLegalMatter = (c: FamilyCommandOf<'OpenLegalMatter'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.matters, c.matterId, 'matterId', rule`legal matter`);
  existing(s.children, c.childId, 'childId', rule`child`);
  if (!JURISDICTION.test(c.jurisdiction)) throw badInput('jurisdiction', rule`must be an ISO 3166 code such as US-NY or MX`);
  const matter = { matterId: c.matterId, matterType: c.matterType, childId: c.childId, jurisdiction: c.jurisdiction, openedOn: dateOf(c.occurredAt) };
  // Its SIJ age-out or asylum one-year deadline follows from the facts (deadlines.ts, run by decide).
  return [{ type: 'LegalMatterOpened', data: matter }];
};

export const recordPetitionFiled = (c: FamilyCommandOf<'RecordPetitionFiled'>, s: FamilyState): FamilyEvent[] => {
  pastDate('filedOn', c.filedOn, c.issuedAt);
  const matter = matterStep(s, c.type, c.matterId);
  return [{
    type: 'PetitionFiled',
    data: { matterId: c.matterId, filedOn: c.filedOn, ...(c.receiptNumber ? { personal: { subjectId: matter.childId, receiptNumber: c.receiptNumber } } : {}) },
  }];
};

/** A hearing is also a deadline: the family's next-deadline view shows it. */
export const scheduleHearing = (c: FamilyCommandOf<'ScheduleHearing'>, s: FamilyState): FamilyEvent[] => {
  const matter = matterStep(s, c.type, c.matterId);
  requireNew(s.deadlines, c.deadlineId, 'deadlineId', rule`deadline`);
  return [
    { type: 'HearingScheduled', data: { matterId: c.matterId, hearingOn: c.hearingOn } },
    { type: 'DeadlineSet', data: { deadlineId: c.deadlineId, kind: 'HEARING', dueOn: c.hearingOn, matterId: c.matterId, childId: matter.childId } },
  ];
};

export const recordCourtOrder = (c: FamilyCommandOf<'RecordCourtOrder'>, s: FamilyState): FamilyEvent[] => {
  pastDate('issuedOn', c.issuedOn, c.issuedAt);
  matterStep(s, c.type, c.matterId);
  return [{ type: 'CourtOrderIssued', data: { matterId: c.matterId, orderType: c.orderType, issuedOn: c.issuedOn } }];
};

export const recordCustodyRecovered = (c: FamilyCommandOf<'RecordCustodyRecovered'>, s: FamilyState): FamilyEvent[] => {
  pastDate('recoveredOn', c.recoveredOn, c.issuedAt);
  const matter = existing(s.matters, c.matterId, 'matterId', rule`legal matter`);
  if (!CUSTODY_MATTERS.includes(matter.matterType)) {
    throw invalidTransition(rule`Cannot record custody recovered: the legal matter is a ${known(matter.matterType)} matter, not a custody matter`);
  }
  matterStep(s, c.type, c.matterId);
  if (matter.childId !== c.childId) throw notFound('childId', rule`child of the legal matter`);
  return [{ type: 'CustodyRecovered', data: { matterId: c.matterId, childId: c.childId, recoveredOn: c.recoveredOn } }];
};

export const recordApplicationDecided = (c: FamilyCommandOf<'RecordApplicationDecided'>, s: FamilyState): FamilyEvent[] => {
  pastDate('decidedOn', c.decidedOn, c.issuedAt);
  matterStep(s, c.type, c.matterId);
  return [{ type: 'ApplicationDecided', data: { matterId: c.matterId, decision: c.decision, decidedOn: c.decidedOn } }];
};

export const setDeadline = (c: FamilyCommandOf<'SetDeadline'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.deadlines, c.deadlineId, 'deadlineId', rule`deadline`);
  if (c.matterId) existing(s.matters, c.matterId, 'matterId', rule`legal matter`);
  if (c.childId) existing(s.children, c.childId, 'childId', rule`child`);
  return [{
    type: 'DeadlineSet',
    data: { deadlineId: c.deadlineId, kind: c.kind, dueOn: c.dueOn, ...(c.matterId ? { matterId: c.matterId } : {}), ...(c.childId ? { childId: c.childId } : {}) },
  }];
};

const deadlineStep = (s: FamilyState, type: FamilyCommandType, deadlineId: string): void => {
  const deadline = existing(s.deadlines, deadlineId, 'deadlineId', rule`deadline`);
  requireTransition(DEADLINE, type, deadline.status, rule`the deadline`);
};

export const recordDeadlineMet = (c: FamilyCommandOf<'RecordDeadlineMet'>, s: FamilyState): FamilyEvent[] => {
  deadlineStep(s, c.type, c.deadlineId);
  return [{ type: 'DeadlineMet', data: { deadlineId: c.deadlineId } }];
};

export const recordDeadlineMissed = (c: FamilyCommandOf<'RecordDeadlineMissed'>, s: FamilyState): FamilyEvent[] => {
  deadlineStep(s, c.type, c.deadlineId);
  return [{ type: 'DeadlineMissed', data: { deadlineId: c.deadlineId } }];
};
