import { decodeFamilyState } from '../../projections/families/state-codec.js';
import type { FamilyRow } from '../../projections/families/family-read-model.js';
import { daysBetween, type CalendarDate } from '../../services/shared/calendar-date.js';
import type { ChildState, DeadlineState, FamilyState, PlacementChange } from '../../services/family/state.js';
import { blockers, childBlockers, childStatus, nextDeadline } from '../../services/family/status.js';
import type { GraphQLContext } from '../context.js';
import { childView, DOCUMENTS, FULL, relativeView, visibleRelatives } from '../../projections/families/redaction.js';

/**
 * Decoded family states, shared by all requests. A row's state never changes for a given
 * revision, so `id@revision` is a safe key; the oldest entries go first past the limit.
 */
const DECODED_LIMIT = 20_000;
const decoded = new Map<string, FamilyState>();

/** A family as of a past instant or revision: its state is folded from the stream, not decoded. */
export interface PastFamilyRow extends FamilyRow {
  readonly state: FamilyState;
  readonly knownAt: string;
  /** The day blockers and days left are counted from. */
  readonly today: CalendarDate;
}

const isPast = (row: FamilyRow): row is PastFamilyRow => 'state' in row;

/** The folded state behind a row, decoded once per family revision. */
export const stateOf = (row: FamilyRow): FamilyState => {
  if (isPast(row)) return row.state;
  const key = `${row.family_id}@${String(row.revision)}`;
  let state = decoded.get(key);
  if (!state) {
    state = decodeFamilyState(row.state_json);
    decoded.set(key, state);
    if (decoded.size > DECODED_LIMIT) decoded.delete(decoded.keys().next().value as string);
  }
  return state;
};

export const deadlineView = (familyId: string, deadline: Pick<DeadlineState, 'deadlineId' | 'kind' | 'dueOn' | 'status'>, today: CalendarDate) => ({
  id: deadline.deadlineId,
  familyId,
  kind: deadline.kind,
  dueOn: deadline.dueOn,
  status: deadline.status,
  daysLeft: daysBetween(today, deadline.dueOn),
});

/** Names and dates of people are served only at DOCUMENTS scope and above: each such read is logged. */
const recordPeopleRead = (row: FamilyRow, context: GraphQLContext): void => {
  if (row.viewer_scope >= DOCUMENTS) context.accessLog.record(row.family_id, 'people');
};

type Resolver<T> = (row: FamilyRow, args: unknown, context: GraphQLContext) => T;

/** Today, or the day a past family is shown as of. */
const todayFor = (row: FamilyRow, context: GraphQLContext): CalendarDate => (isPast(row) ? row.today : context.today);

const placementChangeView = (step: PlacementChange) => ({
  change: step.change, on: step.on, placement: step.placement ?? null, agency: step.agency ?? null,
  relativeId: step.relativeId ?? null, country: step.country ?? null, facility: step.personal?.facility ?? null,
});

/**
 * A child's own status and blockers, shown at every scope like the family's (blockers never name
 * anyone), and its placement history, shown at FULL scope only like its placement.
 */
const childProgress = (row: FamilyRow, state: FamilyState, child: ChildState, today: CalendarDate, horizonDays: number | undefined) => ({
  status: childStatus(state, child.childId),
  blockers: childBlockers(state, child.childId, today, horizonDays),
  placementHistory: row.viewer_scope >= FULL ? child.placementHistory.map(placementChangeView) : null,
});

export const familyResolvers: Record<string, Resolver<unknown>> = {
  id: (row) => row.family_id,
  status: (row) => row.status,
  revision: (row) => row.revision,
  knownAt: (row) => (isPast(row) ? row.knownAt : null),
  programme: (row) => row.programme,
  openedAt: (row) => row.opened_at,
  updatedAt: (row) => row.updated_at,
  leadOrganization: (row, _args, { loaders }) =>
    loaders.organization.load(row.lead_organization_id).then((org) => org ?? { organization_id: row.lead_organization_id, name: null, kind: null }),
  children: (row, _args, context) => {
    recordPeopleRead(row, context);
    const state = stateOf(row);
    return [...state.children.values()].map((child) => ({ ...childView(row, child), ...childProgress(row, state, child, todayFor(row, context), context.deadlineHorizonDays) }));
  },
  relatives: (row, _args, context) => {
    recordPeopleRead(row, context);
    return visibleRelatives(row, stateOf(row).relatives.values()).map((relative) => relativeView(row, relative));
  },
  documents: (row) => [...stateOf(row).documents.values()].map((d) => ({ ...d, id: d.documentId })),
  legalMatters: (row) => [...stateOf(row).matters.values()].map((m) => ({ ...m, id: m.matterId })),
  deadlines: (row, _args, context) =>
    [...stateOf(row).deadlines.values()].sort((a, b) => a.dueOn.localeCompare(b.dueOn)).map((d) => deadlineView(row.family_id, d, todayFor(row, context))),
  referrals: (row) =>
    [...stateOf(row).referrals.values()].map((r) => ({ id: r.referralId, toOrganizationId: r.toOrganizationId, scope: r.scope, status: r.status, expiresAt: r.expiresAt ?? null })),
  blockers: (row, _args, context) => blockers(stateOf(row), todayFor(row, context), context.deadlineHorizonDays),
  nextDeadline: (row, _args, context) => {
    const deadline = nextDeadline(stateOf(row));
    return deadline ? deadlineView(row.family_id, deadline, todayFor(row, context)) : null;
  },
};

export const referralResolvers = {
  toOrganization: (referral: { toOrganizationId: string }, _args: unknown, { loaders }: GraphQLContext) =>
    loaders.organization.load(referral.toOrganizationId).then((org) => org ?? { organization_id: referral.toOrganizationId, name: null, kind: null }),
};

export const organizationResolvers = {
  id: (org: { organization_id: string }) => org.organization_id,
};
