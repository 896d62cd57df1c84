import { dateOf } from '../shared/calendar-date.js';
import { badInput, invalidTransition, known, notFound, rule } from '../shared/domain-error.js';
import { compareInstants } from '../shared/instant.js';
import type { FamilyCommand, FamilyCommandOf, FamilyCommandType } from './commands.js';
import * as consent from './consent.js';
import * as custody from './decide-custody.js';
import * as documents from './decide-documents.js';
import * as erasure from './decide-erasure.js';
import * as handoffs from './decide-handoffs.js';
import * as intake from './decide-intake.js';
import * as legal from './decide-legal.js';
import * as outcome from './decide-outcome.js';
import * as tracing from './decide-tracing.js';
import { derivedDeadlineEvents } from './deadlines.js';
import { checkDateOrder } from './date-order.js';
import type { FamilyEvent } from './events.js';
import { evolve } from './evolve.js';
import type { FamilyState } from './state.js';
import { lifecycleAllows } from './transitions.js';

type Handler<T extends FamilyCommandType> = (command: FamilyCommandOf<T>, state: FamilyState) => FamilyEvent[];

/** One handler per command; the mapped type makes a missing command a compile error. */
const HANDLERS: { readonly [T in FamilyCommandType]: Handler<T> } = {
  OpenFamilyCase: intake.openFamilyCase,
  RegisterChild: intake.registerChild,
  RecordMedicalNeeds: intake.recordMedicalNeeds,
  CorrectChildBirthDate: intake.correctChildBirthDate,
  CorrectChildArrivalDate: intake.correctChildArrivalDate,
  RecordRelationship: intake.recordRelationship,
  AddRelative: intake.addRelative,
  RecordIdentifier: intake.recordIdentifier,
  DecidePossibleDuplicate: intake.decidePossibleDuplicate,
  GiveConsent: intake.giveConsent,
  WithdrawConsent: consent.withdrawConsent,
  RecordProtectionConcern: intake.recordProtectionConcern,
  RecordSeparation: custody.recordSeparation,
  RecordChildDetained: custody.recordChildDetained,
  RecordChildTransferred: custody.recordChildTransferred,
  RecordChildReleased: custody.recordChildReleased,
  ChangeChildPlacement: custody.changeChildPlacement,
  RecordChildRepatriated: custody.recordChildRepatriated,
  StartTracing: tracing.startTracing,
  RecordContactAttempt: tracing.recordContactAttempt,
  RecordLead: tracing.recordLead,
  RecordParentLocated: tracing.recordParentLocated,
  RecordContactEstablished: tracing.recordContactEstablished,
  RecordPersonUnreachable: tracing.recordPersonUnreachable,
  RecordPersonDeceased: tracing.recordPersonDeceased,
  RecordPreference: tracing.recordPreference,
  RecordIdentityVerified: tracing.recordIdentityVerified,
  RecordRelationshipVerified: tracing.recordRelationshipVerified,
  RecordSafetyAssessment: tracing.recordSafetyAssessment,
  RaiseRedFlag: tracing.raiseRedFlag,
  RecordSafetyOverride: tracing.recordSafetyOverride,
  ClearRedFlag: tracing.clearRedFlag,
  RequestDocument: documents.requestDocument,
  RecordDocumentObtained: documents.recordDocumentObtained,
  RecordDocumentApostilled: documents.recordDocumentApostilled,
  RecordDocumentTranslated: documents.recordDocumentTranslated,
  RecordDocumentServed: documents.recordDocumentServed,
  RecordDocumentSigned: documents.recordDocumentSigned,
  RecordDocumentFiled: documents.recordDocumentFiled,
  RecordDocumentExpired: documents.recordDocumentExpired,
  OpenLegalMatter: legal.openLegalMatter,
  RecordPetitionFiled: legal.recordPetitionFiled,
  ScheduleHearing: legal.scheduleHearing,
  RecordCourtOrder: legal.recordCourtOrder,
  RecordCustodyRecovered: legal.recordCustodyRecovered,
  RecordApplicationDecided: legal.recordApplicationDecided,
  SetDeadline: legal.setDeadline,
  RecordDeadlineMet: legal.recordDeadlineMet,
  RecordDeadlineMissed: legal.recordDeadlineMissed,
  ReferFamily: handoffs.referFamily,
  AcceptReferral: handoffs.acceptReferral,
  DeclineReferral: handoffs.declineReferral,
  RevokeReferral: handoffs.revokeReferral,
  GrantAccess: handoffs.grantAccess,
  RevokeAccess: handoffs.revokeAccess,
  TransferFamily: handoffs.transferFamily,
  AcceptTransfer: handoffs.acceptTransfer,
  DeclineTransfer: handoffs.declineTransfer,
  CancelTransfer: handoffs.cancelTransfer,
  SuspendService: handoffs.suspendService,
  ResumeService: handoffs.resumeService,
  PlanReunification: outcome.planReunification,
  RecordReunification: outcome.recordReunification,
  RecordReunificationFailed: outcome.recordReunificationFailed,
  RecordFollowUp: outcome.recordFollowUp,
  CloseFamilyCase: outcome.closeFamilyCase,
  ReopenFamilyCase: outcome.reopenFamilyCase,
  RevokeFormerLeadAccess: handoffs.revokeFormerLeadAccess,
  EraseSubject: erasure.eraseSubject,
  PlaceLegalHold: erasure.placeLegalHold,
  LiftLegalHold: erasure.liftLegalHold,
};

/** Every family command type, in the order of the handler table. */
export const FAMILY_COMMAND_TYPES = Object.keys(HANDLERS) as readonly FamilyCommandType[];

/**
 * The family decider's decide: the checks every command shares (the family exists, the
 * case's lifecycle allows the step, occurredAt is not in the future), then the command's own,
 * nothing personal about a person already erased, then the deadlines that follow from the facts as they now stand (deadlines.ts).
 */
export const decide = (command: FamilyCommand, state: FamilyState): readonly FamilyEvent[] => {
  if (compareInstants(command.occurredAt, command.issuedAt) > 0) throw badInput('occurredAt', rule`must not be in the future`);
  if (command.type !== 'OpenFamilyCase') {
    if (!state.exists) throw notFound('familyId', rule`family`);
    if (!lifecycleAllows(state.lifecycle, command.type)) {
      throw invalidTransition(
        state.lifecycle === 'CLOSED'
          ? rule`Family case is CLOSED: only reopening is allowed`
          : state.lifecycle === 'SUSPENDED'
            ? rule`Family service is SUSPENDED by a stop-work order: ${known(command.type)} is not unavoidable work`
            : rule`Cannot ${known(command.type)}: family case is OPEN`,
      );
    }
  }
  checkDateOrder(command, state);
  const events = (HANDLERS[command.type] as Handler<FamilyCommandType>)(command, state);
  erasure.refuseDataOfErased(events, state);
  return [...events, ...derivedDeadlineEvents(state, events.reduce(evolve, state), dateOf(command.issuedAt))];
};
