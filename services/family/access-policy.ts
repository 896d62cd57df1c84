import type { Actor } from '../shared/decider.js';
import { DomainError, notFound, rule, type Rule } from '../shared/domain-error.js';
import { hasExpired } from '../shared/instant.js';
import type { FamilyCommand, FamilyCommandType } from './commands.js';
import { familySeenAt, hiddenPersonIds } from './disclosure.js';
import { assignmentKey, type Assignment } from './handoff-state.js';
import type { FamilyState } from './state.js';
import type { AccessScope } from './vocabulary.js';

/**
 * Who may change a family, decided on the family's own events (the state the command handler
 * has just folded), for every entry point: GraphQL, the CLI, the demo loader. The read models
 * decide visibility only; they never authorise a write.
 *
 * The policy, in order (the first rule that answers decides):
 * 1. Opening a case makes the caller's organisation its lead (ADVOCATE and ADMIN keys).
 * 2. An organisation with no access in force to the family, in the family's own events, gets
 *    NOT_FOUND, exactly as for an unknown family. Auditors appointed by the lead see the family
 *    through the lead organisation's stream, not the family's: their writes are NOT_FOUND too.
 * 3. Roles. AUDITOR keys never write; PARTNER keys only answer referrals made to their
 *    organisation; SYSTEM actors (bootstrap, tooling) do no case work: FORBIDDEN.
 * 4. Answers: a referral is answered by the organisation it was made to, a proposed transfer by
 *    the organisation it was proposed to (advocates and administrators: it becomes the lead).
 * 5. Hand-offs (refer, grant, revoke, transfer, cancel a transfer) and control of the case
 *    (consent, stop-work, close, reopen) belong to the lead organisation alone. Whatever was
 *    shared with an organisation, even at FULL scope, it cannot share on, widen its own access,
 *    or take the case: only the lead shares, and never above its own (FULL) scope.
 * 6. Document and legal work, and the records of tracing a relative (contact attempts, leads,
 *    located, unreachable, deceased: what a Defender asked to find someone reports), need
 *    DOCUMENTS scope or more (an accepted referral or a grant in force); every other step of
 *    case work needs FULL scope (the lead, or an accepted FULL
 *    referral or grant in force). STATUS scope and kept read access after a transfer only read.
 * 7. A Defender named in startTracing or requestDocument (an assignment) records the tracing of
 *    that sought person, or the document steps of that document (obtained, legalised, translated,
 *    served, signed), and nothing else; it sees the family at STATUS scope (docs/HANDOFFS.md).
 *    An assignment is a hand-off: only the lead names another organisation than its own and the
 *    lead's (LEAD_ONLY), an assignment ends when its holder stops being the lead it was, and work
 *    about a person (or a document) hidden from STATUS scope is refused as work not assigned.
 */

/** How an organisation holds access to a family. */
export type AccessVia = 'LEAD' | 'REFERRAL' | 'GRANT' | 'FORMER_LEAD' | 'TRANSFER' | 'ASSIGNMENT';

export interface AccessHolder {
  readonly organizationId: string;
  readonly scope: AccessScope;
  /** Compared as an instant; undefined: no expiry. */
  readonly expiresAt: string | undefined;
  readonly via: AccessVia;
  /** Whether this access lets the organisation change the family (at `scope`). */
  readonly writes: boolean;
}

/**
 * Every organisation that may see the family, and how. The read side stores these rows (and
 * compares expiry at query time); the write policy below judges the same list at the command's
 * time, so both sides agree on who has access. Revoked and declined referrals, revoked grants
 * and answered transfers give nothing.
 */
export const accessHolders = (state: FamilyState): AccessHolder[] => [
  { organizationId: state.leadOrganizationId, scope: 'FULL', expiresAt: undefined, via: 'LEAD', writes: true },
  // Kept read access ends at the expiry the transfer recorded (none for transfers recorded before expiries existed).
  ...[...state.formerLeadsWithReadAccess].map((organizationId): AccessHolder => ({
    organizationId, scope: 'FULL', expiresAt: state.handoffs.formerLeadAccessUntil.get(organizationId), via: 'FORMER_LEAD', writes: false,
  })),
  // A pending referral or transfer lets the receiving organisation see the status it is asked to
  // take on; the referral's scope applies once it is accepted.
  ...[...state.referrals.values()]
    .filter((r) => r.status === 'PENDING' || r.status === 'ACCEPTED')
    .map((r): AccessHolder => ({
      organizationId: r.toOrganizationId,
      scope: r.status === 'ACCEPTED' ? r.scope : 'STATUS',
      expiresAt: r.expiresAt,
      via: 'REFERRAL',
      writes: r.status === 'ACCEPTED' && r.scope !== 'STATUS',
    })),
  ...[...state.grants.values()]
    .filter((g) => g.active)
    .map((g): AccessHolder => ({ organizationId: g.organizationId, scope: g.scope, expiresAt: g.expiresAt, via: 'GRANT', writes: g.scope !== 'STATUS' })),
  ...(state.pendingTransfer
    ? [{ organizationId: state.pendingTransfer.toOrganizationId, scope: 'STATUS' as const, expiresAt: undefined, via: 'TRANSFER' as const, writes: false }]
    : []),
  // A Defender given one sought person or one document sees the family at STATUS scope and
  // records only that work (assignedWork below); the read model adds what it needs to do it.
  // Only work on what STATUS may see counts: an assignment about a person hidden from it (or a
  // document about them) gives no sight of the family, nor shows in its sharing or filters.
  ...[...new Set(assignmentsSeenAtStatus(state).map((a) => a.organizationId))]
    .filter((organizationId) => organizationId !== state.leadOrganizationId)
    .map((organizationId): AccessHolder => ({ organizationId, scope: 'STATUS', expiresAt: undefined, via: 'ASSIGNMENT', writes: false })),
];

/** The assignments whose subject (a sought person, a document) STATUS scope may see. */
const assignmentsSeenAtStatus = (state: FamilyState): Assignment[] => {
  const seen = familySeenAt(state, 'STATUS');
  return [...state.handoffs.assignments.values()].filter((assignment) =>
    assignment.kind === 'TRACING' ? seen.relatives.has(assignment.subjectId) : seen.documents.has(assignment.subjectId));
};

/** The document-level steps a Defender assigned a document records; the tracing steps of TRACING_WORK for a sought person. */
const ASSIGNED_DOCUMENT_STEPS: ReadonlySet<FamilyCommandType> = new Set([
  'RecordDocumentObtained', 'RecordDocumentApostilled', 'RecordDocumentTranslated', 'RecordDocumentServed', 'RecordDocumentSigned',
]);

/**
 * Whether the command is work the actor's organisation was assigned (that sought person, that
 * document), about someone (or a document) the Defender's STATUS scope may still see: a person
 * hidden since the assignment (a "never disclose to", an adverse relative) is no longer its work.
 */
const assignedWork = (command: FamilyCommand, state: FamilyState, group: CommandGroup): boolean => {
  const organizationId = command.actor.organizationId;
  const assigned = (kind: Assignment['kind'], subjectId: unknown): boolean =>
    typeof subjectId === 'string' && state.handoffs.assignments.get(assignmentKey(kind, subjectId))?.organizationId === organizationId;
  if (group === 'TRACING_WORK') {
    const relativeId = (command as { relativeId?: unknown }).relativeId;
    return assigned('TRACING', relativeId) && !hiddenPersonIds(state, 'STATUS').has(relativeId as string);
  }
  if (ASSIGNED_DOCUMENT_STEPS.has(command.type)) {
    const documentId = (command as { documentId?: unknown }).documentId;
    return assigned('DOCUMENT', documentId) && familySeenAt(state, 'STATUS').documents.has(documentId as string);
  }
  return false;
};

/** The organisation a command gives work to (a Defender), if it names one. */
const assigneeOf = (command: FamilyCommand): string | undefined => {
  if (command.type === 'StartTracing') return command.defenderOrganizationId;
  if (command.type === 'RequestDocument') return command.assignedOrganizationId;
  return undefined;
};

/** Naming another organisation than the actor's own or the lead as a Defender shares the family: the lead's alone. */
const handsOffWork = (command: FamilyCommand, state: FamilyState): boolean => {
  const assignee = assigneeOf(command);
  return assignee !== undefined && assignee !== command.actor.organizationId && assignee !== state.leadOrganizationId;
};

const SCOPE_RANK: Readonly<Record<AccessScope, number>> = { STATUS: 1, DOCUMENTS: 2, FULL: 3 };

/** Compared as instants; an expiry that cannot be read has passed (instant.ts). */
const inForce = (holder: AccessHolder, at: string): boolean => holder.expiresAt === undefined || !hasExpired(holder.expiresAt, at);

/** What one organisation holds of a family at an instant. */
export interface OrganizationAccess {
  readonly sees: boolean;
  readonly leads: boolean;
  /** The strongest scope it may change the family with, if any. */
  readonly writeScope: AccessScope | undefined;
}

export const organizationAccess = (state: FamilyState, organizationId: string, at: string): OrganizationAccess => {
  if (!state.exists) return { sees: false, leads: false, writeScope: undefined };
  const held = accessHolders(state).filter((holder) => holder.organizationId === organizationId && inForce(holder, at));
  const writeScope = held
    .filter((holder) => holder.writes)
    .map((holder) => holder.scope)
    .sort((a, b) => SCOPE_RANK[b] - SCOPE_RANK[a])[0];
  return { sees: held.length > 0, leads: held.some((holder) => holder.via === 'LEAD'), writeScope };
};

/** The kinds of family command the policy tells apart. */
export type CommandGroup = 'OPENING' | 'REFERRAL_ANSWER' | 'TRANSFER_ANSWER' | 'HAND_OFF' | 'CASE_CONTROL' | 'DOCUMENT_WORK' | 'TRACING_WORK' | 'CASE_WORK';

const GROUP_OF: Partial<Readonly<Record<FamilyCommandType, CommandGroup>>> = {
  OpenFamilyCase: 'OPENING',
  AcceptReferral: 'REFERRAL_ANSWER',
  DeclineReferral: 'REFERRAL_ANSWER',
  AcceptTransfer: 'TRANSFER_ANSWER',
  DeclineTransfer: 'TRANSFER_ANSWER',
  ReferFamily: 'HAND_OFF',
  RevokeReferral: 'HAND_OFF',
  GrantAccess: 'HAND_OFF',
  RevokeAccess: 'HAND_OFF',
  TransferFamily: 'HAND_OFF',
  CancelTransfer: 'HAND_OFF',
  RevokeFormerLeadAccess: 'HAND_OFF',
  GiveConsent: 'CASE_CONTROL',
  WithdrawConsent: 'CASE_CONTROL',
  SuspendService: 'CASE_CONTROL',
  ResumeService: 'CASE_CONTROL',
  CloseFamilyCase: 'CASE_CONTROL',
  ReopenFamilyCase: 'CASE_CONTROL',
  // Erasure and legal hold (docs/ERASURE.md): the lead's; erasing and lifting a hold also need an ADMIN key (decide-erasure.ts).
  EraseSubject: 'CASE_CONTROL',
  PlaceLegalHold: 'CASE_CONTROL',
  LiftLegalHold: 'CASE_CONTROL',
  RequestDocument: 'DOCUMENT_WORK',
  RecordDocumentObtained: 'DOCUMENT_WORK',
  RecordDocumentApostilled: 'DOCUMENT_WORK',
  RecordDocumentTranslated: 'DOCUMENT_WORK',
  RecordDocumentServed: 'DOCUMENT_WORK',
  RecordDocumentSigned: 'DOCUMENT_WORK',
  RecordDocumentFiled: 'DOCUMENT_WORK',
  RecordDocumentExpired: 'DOCUMENT_WORK',
  OpenLegalMatter: 'DOCUMENT_WORK',
  RecordPetitionFiled: 'DOCUMENT_WORK',
  ScheduleHearing: 'DOCUMENT_WORK',
  RecordCourtOrder: 'DOCUMENT_WORK',
  RecordApplicationDecided: 'DOCUMENT_WORK',
  SetDeadline: 'DOCUMENT_WORK',
  RecordDeadlineMet: 'DOCUMENT_WORK',
  RecordDeadlineMissed: 'DOCUMENT_WORK',
  RecordContactAttempt: 'TRACING_WORK',
  RecordLead: 'TRACING_WORK',
  RecordParentLocated: 'TRACING_WORK',
  RecordContactEstablished: 'TRACING_WORK',
  RecordPersonUnreachable: 'TRACING_WORK',
  RecordPersonDeceased: 'TRACING_WORK',
};

export const commandGroup = (type: FamilyCommandType): CommandGroup => GROUP_OF[type] ?? 'CASE_WORK';

/** Why a command was refused: stable, for tests and the generated README table. */
export type DenialReason =
  | 'AUDITORS_ONLY_READ'
  | 'PARTNERS_ONLY_ANSWER_REFERRALS'
  | 'NOT_CASE_WORKERS'
  | 'NOT_VISIBLE'
  | 'NOT_THE_RECIPIENT'
  | 'LEAD_ONLY'
  | 'SCOPE_TOO_NARROW';

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: DenialReason };

const ALLOWED: AccessDecision = { allowed: true };
const deny = (reason: DenialReason): AccessDecision => ({ allowed: false, reason });

/** The receiving organisation of the referral a command answers, if the family has it. */
const referralRecipient = (command: FamilyCommand, state: FamilyState): string | undefined =>
  'referralId' in command ? state.referrals.get(command.referralId)?.toOrganizationId : undefined;

const roleDecision = (actor: Actor, group: CommandGroup): AccessDecision | undefined => {
  switch (actor.role) {
    case 'AUDITOR':
      return deny('AUDITORS_ONLY_READ');
    case 'PARTNER':
      return group === 'REFERRAL_ANSWER' ? undefined : deny('PARTNERS_ONLY_ANSWER_REFERRALS');
    case 'SYSTEM':
      return deny('NOT_CASE_WORKERS');
    case 'ADMIN':
    case 'ADVOCATE':
      return undefined;
  }
};

/** The policy: may this actor issue this command on this state (at the command's `issuedAt`)? */
export const decideAccess = (command: FamilyCommand, state: FamilyState): AccessDecision => {
  const { actor } = command;
  const group = commandGroup(command.type);
  if (group === 'OPENING') return roleDecision(actor, group) ?? ALLOWED;
  const access = organizationAccess(state, actor.organizationId, command.issuedAt);
  if (!access.sees) return deny('NOT_VISIBLE');
  const byRole = roleDecision(actor, group);
  if (byRole) return byRole;
  switch (group) {
    case 'REFERRAL_ANSWER':
      return referralRecipient(command, state) === actor.organizationId ? ALLOWED : deny('NOT_THE_RECIPIENT');
    case 'TRANSFER_ANSWER':
      return state.pendingTransfer?.toOrganizationId === actor.organizationId ? ALLOWED : deny('NOT_THE_RECIPIENT');
    case 'HAND_OFF':
    case 'CASE_CONTROL':
      return access.leads ? ALLOWED : deny('LEAD_ONLY');
    case 'DOCUMENT_WORK':
    case 'TRACING_WORK':
      if (!(access.writeScope === 'DOCUMENTS' || access.writeScope === 'FULL' || assignedWork(command, state, group))) return deny('SCOPE_TOO_NARROW');
      return handsOffWork(command, state) && !access.leads ? deny('LEAD_ONLY') : ALLOWED;
    case 'CASE_WORK':
      if (access.writeScope !== 'FULL') return deny('SCOPE_TOO_NARROW');
      return handsOffWork(command, state) && !access.leads ? deny('LEAD_ONLY') : ALLOWED;
  }
};

const DENIAL_MESSAGES: Readonly<Record<Exclude<DenialReason, 'NOT_VISIBLE'>, Rule>> = {
  AUDITORS_ONLY_READ: rule`Auditors can read but not change families`,
  PARTNERS_ONLY_ANSWER_REFERRALS: rule`Partners can follow a family and answer referrals, not change it`,
  NOT_CASE_WORKERS: rule`Only advocates and administrators of an organisation change families`,
  NOT_THE_RECIPIENT: rule`Only the organisation a referral or transfer was made to can answer it`,
  LEAD_ONLY: rule`Only the lead organisation's advocates and administrators share, transfer, suspend, close or reopen a family, record consent, or erase and hold its records`,
  SCOPE_TOO_NARROW: rule`Your organisation's access to this family does not allow this change`,
};

/**
 * Throws when the policy refuses: NOT_FOUND (as for an unknown family) when the caller has no
 * access in force, FORBIDDEN with the rule otherwise. The command handler runs it on the state
 * it has just folded, before anything else, replays of a commandId included.
 */
export const authorizeFamilyCommand = (command: FamilyCommand, state: FamilyState): void => {
  const decision = decideAccess(command, state);
  if (decision.allowed) return;
  if (decision.reason === 'NOT_VISIBLE') throw notFound('familyId', rule`family`);
  throw new DomainError('FORBIDDEN', DENIAL_MESSAGES[decision.reason]);
};
