import type { FamilyCommandType } from './commands.js';
import type { CustodyStatus, DeadlineStatus, DocumentStatus, Lifecycle, LocationStatus, MatterStatus, ReferralStatus } from './state.js';

/**
 * The state machines of a family case, as data: for each command, the states it may start
 * from. The decider enforces these tables and docs/TRANSITIONS.md is generated from them
 * (`npm run docs:transitions`), so the documentation cannot drift from the code.
 */
export type TransitionTable<Status extends string> = Partial<Record<FamilyCommandType, readonly Status[]>>;

/** While a funder's stop-work order holds, only this unavoidable work may be recorded. */
export const UNAVOIDABLE_WORK: readonly FamilyCommandType[] = [
  'ResumeService', 'CloseFamilyCase',
  'RecordChildDetained', 'RecordChildTransferred', 'RecordChildReleased', 'ChangeChildPlacement',
  'RecordProtectionConcern', 'RaiseRedFlag', 'RecordSafetyOverride', 'RecordMedicalNeeds', 'RecordPersonDeceased', 'WithdrawConsent',
  'RecordDeadlineMet', 'RecordDeadlineMissed', 'RecordDocumentFiled', 'RecordPetitionFiled',
  'ScheduleHearing', 'RecordCourtOrder', 'RecordApplicationDecided',
];

/**
 * Allowed whatever the lifecycle: erasure is a legal duty also (above all) on a closed case whose
 * retention ended, and a legal hold may be placed on or lifted from a closed or suspended case.
 */
export const EVERY_LIFECYCLE: readonly FamilyCommandType[] = ['EraseSubject', 'PlaceLegalHold', 'LiftLegalHold'];

export const lifecycleAllows = (lifecycle: Lifecycle, command: FamilyCommandType): boolean => {
  if (EVERY_LIFECYCLE.includes(command)) return true;
  switch (lifecycle) {
    case 'CLOSED':
      return command === 'ReopenFamilyCase';
    case 'SUSPENDED':
      return UNAVOIDABLE_WORK.includes(command);
    case 'OPEN':
      return command !== 'ReopenFamilyCase' && command !== 'ResumeService';
  }
};

export const RELATIVE_LOCATION: TransitionTable<LocationStatus> = {
  StartTracing: ['NOT_SOUGHT', 'UNREACHABLE'],
  RecordContactAttempt: ['TRACING', 'LOCATED', 'IN_CONTACT', 'UNREACHABLE'],
  RecordLead: ['TRACING', 'UNREACHABLE'],
  RecordParentLocated: ['TRACING'],
  RecordContactEstablished: ['LOCATED'],
  RecordPersonUnreachable: ['TRACING'],
  RecordPersonDeceased: ['NOT_SOUGHT', 'TRACING', 'LOCATED', 'IN_CONTACT', 'UNREACHABLE'],
  RecordPreference: ['LOCATED', 'IN_CONTACT'],
  PlanReunification: ['NOT_SOUGHT', 'LOCATED', 'IN_CONTACT'],
  RecordReunification: ['NOT_SOUGHT', 'LOCATED', 'IN_CONTACT'],
};

export const CHILD_CUSTODY: TransitionTable<CustodyStatus> = {
  RecordChildDetained: ['NOT_IN_CUSTODY', 'RELEASED'],
  RecordChildTransferred: ['DETAINED'],
  RecordChildReleased: ['DETAINED'],
  RecordChildRepatriated: ['NOT_IN_CUSTODY', 'DETAINED', 'RELEASED'],
};

export const DOCUMENT: TransitionTable<DocumentStatus> = {
  RecordDocumentObtained: ['REQUESTED'],
  RecordDocumentApostilled: ['OBTAINED'],
  RecordDocumentTranslated: ['OBTAINED'],
  RecordDocumentServed: ['OBTAINED'],
  RecordDocumentSigned: ['OBTAINED'],
  RecordDocumentFiled: ['OBTAINED'],
  RecordDocumentExpired: ['OBTAINED'],
};

export const LEGAL_MATTER: TransitionTable<MatterStatus> = {
  RecordPetitionFiled: ['OPEN'],
  ScheduleHearing: ['PETITION_FILED', 'HEARING_SCHEDULED', 'ORDER_ISSUED'],
  RecordCourtOrder: ['PETITION_FILED', 'HEARING_SCHEDULED'],
  RecordCustodyRecovered: ['PETITION_FILED', 'HEARING_SCHEDULED', 'ORDER_ISSUED'],
  RecordApplicationDecided: ['PETITION_FILED', 'HEARING_SCHEDULED', 'ORDER_ISSUED', 'CUSTODY_RECOVERED'],
};

export const DEADLINE: TransitionTable<DeadlineStatus> = {
  RecordDeadlineMet: ['OPEN'],
  RecordDeadlineMissed: ['OPEN'],
};

/** `EXPIRED` is derived: a pending or accepted referral whose expiry has passed. */
export const REFERRAL: TransitionTable<ReferralStatus | 'EXPIRED'> = {
  AcceptReferral: ['PENDING'],
  DeclineReferral: ['PENDING'],
  RevokeReferral: ['PENDING', 'ACCEPTED'],
};

export const ALL_TABLES = {
  'relative (tracing)': RELATIVE_LOCATION,
  'child (custody)': CHILD_CUSTODY,
  document: DOCUMENT,
  'legal matter': LEGAL_MATTER,
  deadline: DEADLINE,
  referral: REFERRAL,
} as const;
