import { feedCursor, type FamilyRow, type StatusChangeRow } from './family-read-model.js';
import type { ChildState, DeadlineState, DocumentState, FamilyState, LegalHoldState, MatterState, PlacementChange, ReferralState, RelativeState } from '../../services/family/state.js';
import { blockers, childBlockers, childStatus, nextDeadline, reunificationStatus, type BlockerReading, type ReunificationStatus } from '../../services/family/status.js';
import { familySeenAt } from '../../services/family/disclosure.js';
import type { Language } from '../../services/family/labels.js';
import { daysBetween, monthOf, monthsBetween, type CalendarDate } from '../../services/shared/calendar-date.js';
import { deadlinePrecision, scopeOf, type DisclosureContext, type Scope } from './allowlist.js';
import { disclose, disclosureContext, scopeOnlyContext } from './disclose.js';

/**
 * The family's views as a reader at their scope may see them: every view goes through the
 * allowlist (allowlist.ts), people hidden from the scope are left out of every list and
 * blocker, and deadlines are shown and ordered only as precisely as the scope may know them.
 */
export const FULL = 3;
export const DOCUMENTS = 2;

export { scopeOf };

/** The disclosure context of a row: its scope, and the family's current state (for a past view as well). */
export const contextOf = (row: FamilyRow, currentState: FamilyState): DisclosureContext => disclosureContext(currentState, scopeOf(row.viewer_scope));

const placementChangeView = (context: DisclosureContext, step: PlacementChange) =>
  disclose('PlacementChange', {
    change: step.change, on: step.on, placement: step.placement ?? null, agency: step.agency ?? null,
    relativeId: step.relativeId ?? null, country: step.country ?? null, facility: step.personal?.facility ?? null,
  }, context);

/**
 * The family as the reader may know it (services/family/disclosure.ts `familySeenAt`): without
 * the people hidden from them (as hidden now, also for a past state) and what is recorded about
 * them. Every status, blocker, list and count a reader gets is computed from this state, never
 * from the whole family, so none of them tells that a hidden person exists or how they stand.
 */
export const seenBy = (context: DisclosureContext, state: FamilyState): FamilyState => familySeenAt(state, context.scope, context.hidden);

/** The family's status as the reader may know it (the lead's is the stored one). */
export const statusSeenBy = (context: DisclosureContext, state: FamilyState): ReunificationStatus => reunificationStatus(seenBy(context, state));

/**
 * A child as the reader may see it. Its status is computed from the whole family as the reader
 * may see it (`seen`, from `seenBy`), like the family's (the least advanced of its children's);
 * its blockers are rendered for the reader's scope from the same state; its placement history
 * goes step by step through the PlacementChange allowlist.
 */
export const childView = (context: DisclosureContext, seen: FamilyState, child: ChildState, today: CalendarDate, horizonDays?: number) =>
  disclose('Child', {
    id: child.childId, erased: child.erased === true, givenName: child.givenName ?? null, birthDate: child.birthDate ?? null, birthDateEstimated: child.birthDateEstimated,
    nationality: child.nationality, arrivalDate: child.arrivalDate ?? null, custody: child.custody, placement: child.placement ?? null,
    custodyRecovered: child.custodyRecovered, ageReviewRequired: child.ageReviewRequired,
    // Languages sit outside `personal` in the events (so they survive the key), but are the person's: a tombstone shows none.
    languages: child.erased ? null : child.languages, needsInterpreter: child.needsInterpreter, medicalNeeds: child.medicalNeeds ?? null,
    status: childStatus(seen, child.childId),
    blockers: childBlockers(seen, child.childId, today, readingFor(context, horizonDays)),
    // A step naming someone hidden from the reader is left out, as history turns its event into a placeholder.
    placementHistory: child.placementHistory.filter((step) => step.relativeId === undefined || !context.hidden.has(step.relativeId)).map((step) => placementChangeView(context, step)),
  }, context);

export const visibleRelatives = (context: DisclosureContext, relatives: Iterable<RelativeState>): RelativeState[] =>
  [...relatives].filter((relative) => !context.hidden.has(relative.relativeId));

const isSought = (relative: RelativeState): boolean => relative.location === 'TRACING' || relative.location === 'UNREACHABLE';

export const relativeView = (context: DisclosureContext, relative: RelativeState) =>
  disclose('Relative', {
    id: relative.relativeId, erased: relative.erased === true, givenName: relative.givenName ?? null, relationship: relative.relationship, locationStatus: relative.location,
    locatedCountry: relative.locatedCountry ?? null, notLocatedSince: isSought(relative) ? (relative.soughtSince ?? null) : null,
    adverse: relative.adverse, preference: relative.preference ?? null, languages: relative.erased ? null : relative.languages, needsInterpreter: relative.needsInterpreter,
  }, context);

export const documentView = (context: DisclosureContext, document: DocumentState) =>
  disclose('Document', {
    id: document.documentId, documentType: document.documentType, status: document.status, needsLegalisation: document.needsLegalisation,
    needsTranslation: document.needsTranslation, needsService: document.needsService, legalised: document.legalised,
    translated: document.translated, served: document.served, signed: document.signed,
  }, context);

export const matterView = (context: DisclosureContext, matter: MatterState) =>
  disclose('LegalMatter', { id: matter.matterId, matterType: matter.matterType, status: matter.status, jurisdiction: matter.jurisdiction, childId: matter.childId }, context);

/** The family's legal holds, standing or lifted, in the order placed. */
export const legalHoldViews = (context: DisclosureContext, state: FamilyState) =>
  [...(state.legalHolds ?? new Map<string, LegalHoldState>())].map(([holdId, hold]) => disclose('LegalHold', { id: holdId, reason: hold.reason, standing: hold.standing }, context));

export const referralView = (context: DisclosureContext, referral: ReferralState) =>
  disclose('Referral', { id: referral.referralId, toOrganization: referral.toOrganizationId, scope: referral.scope, status: referral.status, expiresAt: referral.expiresAt ?? null }, context);

type DeadlineFacts = Pick<DeadlineState, 'deadlineId' | 'kind' | 'dueOn' | 'status'>;

/** A deadline's dates, all null when its day is unknown (an erased child's age-out). */
const datesOf = (dueOn: CalendarDate | undefined, today: CalendarDate) =>
  (dueOn === undefined
    ? { dueOn: null, daysLeft: null, dueMonth: null, monthsLeft: null }
    : { dueOn, daysLeft: daysBetween(today, dueOn), dueMonth: monthOf(dueOn), monthsLeft: monthsBetween(today, dueOn) });

/** A deadline: its day and days left where the scope may know the day, its month and months left where it may know the month. */
export const deadlineView = (context: DisclosureContext, familyId: string, deadline: DeadlineFacts, today: CalendarDate) =>
  disclose('Deadline', {
    id: deadline.deadlineId, familyId, kind: deadline.kind, status: deadline.status,
    ...datesOf(deadline.dueOn, today),
  }, context);

/** What a reader at this scope may order deadlines by: the day, the month, or nothing (then last, in the order they were set). */
export const visibleDueKey = (deadline: DeadlineFacts, scope: Scope): string => {
  const precision = deadlinePrecision(deadline.kind, scope);
  if (deadline.dueOn === undefined) return '~';
  return precision === 'DAY' ? deadline.dueOn : precision === 'MONTH' ? monthOf(deadline.dueOn) : '~';
};

/** The family's deadlines, ordered by what the scope may know of them (a stable sort: ties keep the order they were set in). */
export const orderedDeadlines = (state: FamilyState, scope: Scope): DeadlineState[] =>
  [...state.deadlines.values()].sort((a, b) => visibleDueKey(a, scope).localeCompare(visibleDueKey(b, scope)));

/** The next open deadline whose timing the scope may know, by what it may know. */
export const nextDeadlineFor = (state: FamilyState, scope: Scope): DeadlineState | undefined =>
  scope === 'FULL'
    ? nextDeadline(state)
    : orderedDeadlines(state, scope).find((deadline) => deadline.status === 'OPEN' && deadlinePrecision(deadline.kind, scope) !== 'NONE');

/** How blockers are rendered for the reader: their scope, deadlines only as precisely as it may know them, in their language (default English). */
const readingFor = (context: DisclosureContext, horizonDays: number | undefined, language?: Language): BlockerReading => ({
  scope: context.scope,
  precisionOf: (deadline) => deadlinePrecision(deadline.kind, context.scope),
  ...(horizonDays === undefined ? {} : { horizonDays }),
  ...(language === undefined ? {} : { language }),
});

/** Blockers at the reader's scope, from the family as they may see it, deadlines only as precisely as the scope may know them. */
export const blockersFor = (state: FamilyState, context: DisclosureContext, today: CalendarDate, horizonDays?: number, language?: Language): string[] =>
  blockers(seenBy(context, state), today, readingFor(context, horizonDays, language));

/** One child's blockers as childView renders them (`seen`: the family as the reader may see it), in a language. */
export const childBlockersFor = (context: DisclosureContext, seen: FamilyState, childId: string, today: CalendarDate, horizonDays: number | undefined, language: Language): string[] =>
  childBlockers(seen, childId, today, readingFor(context, horizonDays, language));

/**
 * A status change, in subscriptions, polling and webhooks: as the STATUS allowlist shows it,
 * whatever the reader's scope (the feed carries only what every scope may see).
 */
export const statusChangeView = (row: StatusChangeRow) =>
  disclose('FamilyStatusChange', {
    cursor: feedCursor(row), familyId: row.family_id, previousStatus: row.previous_status, status: row.status,
    occurredAt: row.occurred_at, recordedAt: row.recorded_at,
  }, scopeOnlyContext('STATUS'));

/** The body of a webhook delivery, through the allowlist like every other view. */
export const webhookPayloadView = (payload: { deliveryId: string; webhookId: string; organizationId: string; change: ReturnType<typeof statusChangeView> }) =>
  disclose('WebhookPayload', payload, scopeOnlyContext('STATUS'));
