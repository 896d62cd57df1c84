import { CASE_SUBJECT_ID } from '../shared/case-subject.js';
import { invalidTransition, known, rule } from '../shared/domain-error.js';
import type { FamilyCommandOf } from './commands.js';
import { tracingStep } from './decide-tracing.js';
import type { FamilyEvent } from './events.js';
import { existing } from './lookups.js';
import type { ChildState, FamilyState } from './state.js';
import { overridesUsed, passSafetyGates } from './safety-gates.js';
import { pastDate } from './world-dates.js';

/** Reunification needs the child and an adult who is alive, known and not an adverse party. */
const reunitingPair = (s: FamilyState, c: FamilyCommandOf<'PlanReunification' | 'RecordReunification'>): ChildState => {
  const child = existing(s.children, c.childId, 'childId', rule`child`);
  const relative = tracingStep(s, c.type, c.relativeId);
  if (relative.adverse) {
    throw invalidTransition(rule`Cannot reunify with the relative: recorded as an adverse party`);
  }
  if (s.reunifiedChildIds.has(c.childId)) throw invalidTransition(rule`The child is already REUNIFIED`);
  return child;
};

export const planReunification = (c: FamilyCommandOf<'PlanReunification'>, s: FamilyState): FamilyEvent[] => {
  reunitingPair(s, c);
  const overrides = passSafetyGates(s, { childId: c.childId, caregiverId: c.relativeId, leavesTheUs: false, reunifies: true }, known('plan the reunification of the child'));
  return [{ type: 'ReunificationPlanned', data: { childId: c.childId, relativeId: c.relativeId, ...overridesUsed(overrides) } }];
};

export const recordReunification = (c: FamilyCommandOf<'RecordReunification'>, s: FamilyState): FamilyEvent[] => {
  pastDate('reunifiedOn', c.reunifiedOn, c.issuedAt);
  const child = reunitingPair(s, c);
  // Reunification abroad takes the child out of the US, unless a repatriation already did (and passed the gate).
  const leavesTheUs = c.country !== 'US' && child.custody !== 'REPATRIATED';
  const overrides = passSafetyGates(s, { childId: c.childId, caregiverId: c.relativeId, leavesTheUs, reunifies: true }, known('record the reunification of the child'));
  return [{
    type: 'ReunificationCompleted',
    data: { childId: c.childId, relativeId: c.relativeId, reunifiedOn: c.reunifiedOn, country: c.country, ...overridesUsed(overrides), ...(c.place ? { personal: { subjectId: c.childId, place: c.place } } : {}) },
  }];
};

export const recordReunificationFailed = (c: FamilyCommandOf<'RecordReunificationFailed'>, s: FamilyState): FamilyEvent[] => {
  existing(s.children, c.childId, 'childId', rule`child`);
  existing(s.relatives, c.relativeId, 'relativeId', rule`relative`);
  return [{ type: 'ReunificationFailed', data: { childId: c.childId, relativeId: c.relativeId, personal: { subjectId: c.relativeId, reason: c.reason } } }];
};

export const recordFollowUp = (c: FamilyCommandOf<'RecordFollowUp'>, s: FamilyState): FamilyEvent[] => {
  existing(s.children, c.childId, 'childId', rule`child`);
  return [{ type: 'FollowUpRecorded', data: { childId: c.childId, ...(c.note ? { personal: { subjectId: c.childId, note: c.note } } : {}) } }];
};

export const closeFamilyCase = (c: FamilyCommandOf<'CloseFamilyCase'>): FamilyEvent[] => [
  { type: 'FamilyCaseClosed', data: { reason: c.reason } },
];

export const reopenFamilyCase = (c: FamilyCommandOf<'ReopenFamilyCase'>): FamilyEvent[] => [
  { type: 'FamilyCaseReopened', data: { personal: { subjectId: CASE_SUBJECT_ID, reason: c.reason } } },
];
