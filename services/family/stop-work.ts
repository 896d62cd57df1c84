import { CASE_SUBJECT_ID } from '../shared/case-subject.js';
import { invalidTransition, known, rule } from '../shared/domain-error.js';
import type { StopWorkOrder } from '../organization/stop-work-orders.js';
import type { FamilyCommand, FamilyCommandType } from './commands.js';
import type { FamilyEvent } from './events.js';
import type { FamilyState } from './state.js';
import type { Programme } from './vocabulary.js';
import type { FamilyWorld } from './world.js';

/**
 * The "unavoidable work" rule of a stop-work order (docs/STOP-WORK.md). An order recorded on
 * organisation X for programme P covers every family of programme P, and every command X's
 * people issue on one of them:
 *
 * - X takes no new client under P: opening a case, accepting a transfer or a referral of such
 *   a family is refused, whatever reason is given; nor is such a family referred or
 *   transferred to X.
 * - Unavoidable work goes on: the steps listed in UNAVOIDABLE, and the document and legal work
 *   of a family with an open deadline (work toward that deadline).
 * - Any other step is refused unless the command says why (`stopWorkReason`): it is then
 *   recorded, with a StopWorkExceptionRecorded event naming the orders and the reason first.
 *
 * An organisation not under an order works on as before, so a hand-off to one is the way to
 * keep a case moving. The family-level SuspendService (older cases) follows the same rule.
 */
export type UnavoidableBecause = 'SAFETY_AND_PROTECTION' | 'CORRECTION_OF_FACTS' | 'FILING_OR_SERVICE_UNDER_WAY' | 'OPEN_DEADLINE' | 'HANDING_OFF_OR_ENDING' | 'LEGAL_DUTY';

export const UNAVOIDABLE: Readonly<Partial<Record<FamilyCommandType, UnavoidableBecause>>> = {
  RecordProtectionConcern: 'SAFETY_AND_PROTECTION',
  RaiseRedFlag: 'SAFETY_AND_PROTECTION',
  ClearRedFlag: 'SAFETY_AND_PROTECTION',
  RecordSafetyAssessment: 'SAFETY_AND_PROTECTION',
  RecordSafetyOverride: 'SAFETY_AND_PROTECTION',
  RecordMedicalNeeds: 'SAFETY_AND_PROTECTION',
  RecordChildDetained: 'SAFETY_AND_PROTECTION',
  RecordChildTransferred: 'SAFETY_AND_PROTECTION',
  RecordChildReleased: 'SAFETY_AND_PROTECTION',
  ChangeChildPlacement: 'SAFETY_AND_PROTECTION',
  RecordChildRepatriated: 'SAFETY_AND_PROTECTION',
  RecordPersonDeceased: 'SAFETY_AND_PROTECTION',
  WithdrawConsent: 'SAFETY_AND_PROTECTION',
  CorrectChildBirthDate: 'CORRECTION_OF_FACTS',
  CorrectChildArrivalDate: 'CORRECTION_OF_FACTS',
  RecordDocumentServed: 'FILING_OR_SERVICE_UNDER_WAY',
  RecordDocumentSigned: 'FILING_OR_SERVICE_UNDER_WAY',
  RecordDocumentFiled: 'FILING_OR_SERVICE_UNDER_WAY',
  RecordPetitionFiled: 'FILING_OR_SERVICE_UNDER_WAY',
  ScheduleHearing: 'FILING_OR_SERVICE_UNDER_WAY',
  RecordCourtOrder: 'FILING_OR_SERVICE_UNDER_WAY',
  RecordCustodyRecovered: 'FILING_OR_SERVICE_UNDER_WAY',
  RecordApplicationDecided: 'FILING_OR_SERVICE_UNDER_WAY',
  RecordDeadlineMet: 'OPEN_DEADLINE',
  RecordDeadlineMissed: 'OPEN_DEADLINE',
  TransferFamily: 'HANDING_OFF_OR_ENDING',
  CancelTransfer: 'HANDING_OFF_OR_ENDING',
  DeclineTransfer: 'HANDING_OFF_OR_ENDING',
  ReferFamily: 'HANDING_OFF_OR_ENDING',
  RevokeReferral: 'HANDING_OFF_OR_ENDING',
  DeclineReferral: 'HANDING_OFF_OR_ENDING',
  RevokeAccess: 'HANDING_OFF_OR_ENDING',
  RevokeFormerLeadAccess: 'HANDING_OFF_OR_ENDING',
  CloseFamilyCase: 'HANDING_OFF_OR_ENDING',
  ResumeService: 'HANDING_OFF_OR_ENDING',
  EraseSubject: 'LEGAL_DUTY',
  PlaceLegalHold: 'LEGAL_DUTY',
  LiftLegalHold: 'LEGAL_DUTY',
};

/** Document and legal steps: unavoidable while the family has an open deadline. */
export const DEADLINE_WORK: ReadonlySet<FamilyCommandType> = new Set([
  'RequestDocument', 'RecordDocumentObtained', 'RecordDocumentApostilled', 'RecordDocumentTranslated', 'OpenLegalMatter', 'SetDeadline',
]);

/** Commands by which an organisation takes a family as a new client. */
const NEW_CLIENT: ReadonlySet<FamilyCommandType> = new Set(['OpenFamilyCase', 'AcceptTransfer', 'AcceptReferral']);

export const unavoidableBecause = (command: FamilyCommand, state: FamilyState): UnavoidableBecause | undefined => {
  const listed = UNAVOIDABLE[command.type];
  if (listed) return listed;
  const openDeadline = [...state.deadlines.values()].some((deadline) => deadline.status === 'OPEN');
  return openDeadline && DEADLINE_WORK.has(command.type) ? 'OPEN_DEADLINE' : undefined;
};

const ordersOver = (world: FamilyWorld, organizationId: string, programme: Programme | undefined): readonly StopWorkOrder[] =>
  programme === undefined ? [] : (world.organization(organizationId)?.stopWorkOrders ?? []).filter((order) => order.programme === programme);

const programmeOf = (command: FamilyCommand, state: FamilyState): Programme | undefined =>
  command.type === 'OpenFamilyCase' ? command.programme : state.programme;

/** The organisation a hand-off gives the family to as a client, if the command is one. */
const newClientOrganization = (command: FamilyCommand): string | undefined =>
  command.type === 'TransferFamily' || command.type === 'ReferFamily' ? command.toOrganizationId : undefined;

/**
 * Judges the command against the stop-work orders in force. Returns the exception event to
 * record before the command's own events (a step that is not unavoidable, with its reason),
 * nothing when no order applies or the step is unavoidable; throws INVALID_TRANSITION otherwise.
 */
export const stopWorkCheck = (command: FamilyCommand, state: FamilyState, world: FamilyWorld): FamilyEvent | undefined => {
  const programme = programmeOf(command, state);
  const receiver = newClientOrganization(command);
  if (receiver !== undefined && ordersOver(world, receiver, programme).length > 0) {
    throw invalidTransition(rule`Cannot hand the family to that organisation: a stop-work order stops it taking new clients under the ${known(programme ?? '')} programme`);
  }
  const orders = ordersOver(world, command.actor.organizationId, programme);
  if (orders.length === 0) return undefined;
  if (NEW_CLIENT.has(command.type)) {
    throw invalidTransition(rule`Cannot take a new client: your organisation is under a stop-work order for the ${known(programme ?? '')} programme`);
  }
  if (unavoidableBecause(command, state)) return undefined;
  if (command.stopWorkReason === undefined || command.stopWorkReason.trim() === '') {
    throw invalidTransition(rule`${known(command.type)} is not unavoidable work under your organisation's stop-work order for the ${known(programme ?? '')} programme: give stopWorkReason to record it anyway`);
  }
  return {
    type: 'StopWorkExceptionRecorded',
    data: { organizationId: command.actor.organizationId, orderIds: orders.map((order) => order.orderId), commandType: command.type, personal: { subjectId: CASE_SUBJECT_ID, reason: command.stopWorkReason } },
  };
};

/** Under a family-level suspension (SuspendService), the same rule: unavoidable work, or a step with its reason. */
export const suspensionCheck = (command: FamilyCommand, state: FamilyState): { readonly allowed: boolean; readonly exception?: FamilyEvent } => {
  if (state.lifecycle !== 'SUSPENDED' || command.type === 'ResumeService' || command.type === 'SuspendService') return { allowed: false };
  if (unavoidableBecause(command, state)) return { allowed: true };
  if (command.stopWorkReason === undefined || command.stopWorkReason.trim() === '') return { allowed: false };
  return {
    allowed: true,
    exception: { type: 'StopWorkExceptionRecorded', data: { organizationId: command.actor.organizationId, orderIds: [], commandType: command.type, personal: { subjectId: CASE_SUBJECT_ID, reason: command.stopWorkReason } } },
  };
};
