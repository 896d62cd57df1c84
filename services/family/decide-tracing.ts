import { dateOf } from '../shared/calendar-date.js';
import { badInput, forbidden, invalidTransition, known, notFound, rule } from '../shared/domain-error.js';
import type { FamilyCommandOf, FamilyCommandType } from './commands.js';
import type { FamilyEvent } from './events.js';
import { existing, requireNew, requirePerson, requireTransition } from './lookups.js';
import type { FamilyState, RelativeState } from './state.js';
import { RELATIVE_LOCATION } from './transitions.js';

/** The relative, if the command may act on it in its current tracing state. */
export const tracingStep = (s: FamilyState, type: FamilyCommandType, relativeId: string, field = 'relativeId'): RelativeState => {
  const relative = existing(s.relatives, relativeId, field, rule`relative`);
  requireTransition(RELATIVE_LOCATION, type, relative.location, rule`the relative`);
  return relative;
};

export const startTracing = (c: FamilyCommandOf<'StartTracing'>, s: FamilyState): FamilyEvent[] => {
  tracingStep(s, c.type, c.relativeId);
  return [{
    type: 'TracingStarted',
    data: { relativeId: c.relativeId, defenderOrganizationId: c.defenderOrganizationId, startedOn: dateOf(c.occurredAt), ...(c.region ? { region: c.region } : {}) },
  }];
};

export const recordContactAttempt = (c: FamilyCommandOf<'RecordContactAttempt'>, s: FamilyState): FamilyEvent[] => {
  tracingStep(s, c.type, c.relativeId);
  return [{ type: 'ContactAttemptMade', data: { relativeId: c.relativeId, channel: c.channel, result: c.result } }];
};

export const recordLead = (c: FamilyCommandOf<'RecordLead'>, s: FamilyState): FamilyEvent[] => {
  tracingStep(s, c.type, c.relativeId);
  return [{ type: 'LeadReceived', data: { relativeId: c.relativeId, ...(c.lead ? { personal: { subjectId: c.relativeId, lead: c.lead } } : {}) } }];
};

export const recordParentLocated = (c: FamilyCommandOf<'RecordParentLocated'>, s: FamilyState): FamilyEvent[] => {
  tracingStep(s, c.type, c.relativeId);
  return [{
    type: 'RelativeLocated',
    data: { relativeId: c.relativeId, country: c.country, method: c.method, locatedOn: dateOf(c.occurredAt), ...(c.place ? { personal: { subjectId: c.relativeId, place: c.place } } : {}) },
  }];
};

export const recordContactEstablished = (c: FamilyCommandOf<'RecordContactEstablished'>, s: FamilyState): FamilyEvent[] => {
  tracingStep(s, c.type, c.relativeId);
  return [{
    type: 'ContactEstablished',
    data: { relativeId: c.relativeId, ...(c.safeContactInstructions ? { personal: { subjectId: c.relativeId, safeContactInstructions: c.safeContactInstructions } } : {}) },
  }];
};

export const recordPersonUnreachable = (c: FamilyCommandOf<'RecordPersonUnreachable'>, s: FamilyState): FamilyEvent[] => {
  tracingStep(s, c.type, c.relativeId);
  return [{ type: 'PersonUnreachable', data: { relativeId: c.relativeId } }];
};

export const recordPersonDeceased = (c: FamilyCommandOf<'RecordPersonDeceased'>, s: FamilyState): FamilyEvent[] => {
  tracingStep(s, c.type, c.relativeId);
  return [{ type: 'PersonReportedDeceased', data: { relativeId: c.relativeId } }];
};

export const recordPreference = (c: FamilyCommandOf<'RecordPreference'>, s: FamilyState): FamilyEvent[] => {
  tracingStep(s, c.type, c.relativeId);
  return [{ type: 'PreferenceDeclared', data: { relativeId: c.relativeId, preference: c.preference } }];
};

export const recordIdentityVerified = (c: FamilyCommandOf<'RecordIdentityVerified'>, s: FamilyState): FamilyEvent[] => {
  requirePerson(s, c.personId, 'personId');
  return [{ type: 'IdentityVerified', data: { personId: c.personId, method: c.method } }];
};

export const recordRelationshipVerified = (c: FamilyCommandOf<'RecordRelationshipVerified'>, s: FamilyState): FamilyEvent[] => {
  existing(s.relatives, c.relativeId, 'relativeId', rule`relative`);
  return [{ type: 'RelationshipVerified', data: { relativeId: c.relativeId, method: c.method, biological: c.biological } }];
};

export const recordSafetyAssessment = (c: FamilyCommandOf<'RecordSafetyAssessment'>, s: FamilyState): FamilyEvent[] => {
  existing(s.relatives, c.relativeId, 'relativeId', rule`relative`);
  return [{ type: 'SafetyAssessmentCompleted', data: { relativeId: c.relativeId, outcome: c.outcome } }];
};

export const raiseRedFlag = (c: FamilyCommandOf<'RaiseRedFlag'>, s: FamilyState): FamilyEvent[] => {
  requirePerson(s, c.subjectPersonId, 'subjectPersonId');
  requireNew(s.openRedFlags, c.flagId, 'flagId', rule`red flag`);
  return [{
    type: 'RedFlagRaised',
    data: { flagId: c.flagId, category: c.category, subjectPersonId: c.subjectPersonId, ...(c.narrative ? { personal: { subjectId: c.subjectPersonId, narrative: c.narrative } } : {}) },
  }];
};

export const clearRedFlag = (c: FamilyCommandOf<'ClearRedFlag'>, s: FamilyState): FamilyEvent[] => {
  if (!s.openRedFlags.has(c.flagId)) throw notFound('flagId', rule`open red flag`);
  return [{ type: 'RedFlagCleared', data: { flagId: c.flagId } }];
};

/**
 * A safety override: only an ADMIN of the lead organisation may let a child's next step past a
 * safety gate, with a reason; the write policy (FULL scope) has already run. Recorded as its own
 * event with who decided, and consumed by the one step it allows (see safety-gates.ts).
 */
export const recordSafetyOverride = (c: FamilyCommandOf<'RecordSafetyOverride'>, s: FamilyState): FamilyEvent[] => {
  if (c.actor.role !== 'ADMIN' || c.actor.organizationId !== s.leadOrganizationId) {
    throw forbidden(rule`Only an administrator of the lead organisation may override a safety gate`);
  }
  requireNew(s.safetyOverrides, c.overrideId, 'overrideId', rule`safety override`);
  existing(s.children, c.childId, 'childId', rule`child`);
  if (c.personId) requirePerson(s, c.personId, 'personId');
  if (c.gate === 'UNSAFE_ASSESSMENT' || c.gate === 'UNVERIFIED_RELATIONSHIP' || c.gate === 'DECLARED_PREFERENCE') {
    if (!c.personId) throw badInput('personId', rule`is required to override ${known(c.gate)}`);
    if (!s.relatives.has(c.personId)) throw invalidTransition(rule`Cannot record safety override: ${known(c.gate)} concerns a relative, and personId names a child`);
  }
  return [{
    type: 'SafetyOverrideRecorded',
    data: {
      overrideId: c.overrideId, childId: c.childId, gate: c.gate, ...(c.personId ? { personId: c.personId } : {}),
      decidedBy: { userId: c.actor.userId, organizationId: c.actor.organizationId, role: c.actor.role },
      personal: { subjectId: c.personId ?? c.childId, reason: c.reason },
    },
  }];
};
