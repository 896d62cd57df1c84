import { forgetDecodedStates, liveStateOf, type FamilyRow } from '../../projections/families/family-read-model.js';
import { LatestRevisionCache } from '../../projections/families/latest-revision-cache.js';
import type { CalendarDate } from '../../services/shared/calendar-date.js';
import type { FamilyState } from '../../services/family/state.js';
import type { GraphQLContext } from '../context.js';
import type { DisclosureContext } from '../../projections/families/allowlist.js';
import { listed } from '../../projections/families/disclose.js';
import { assignmentViews, sharingViews } from '../../projections/families/sharing-view.js';
import { ownerOf, withOwner } from './view-owner.js';
import { forgetAllAnswers } from '../plugins/response-cache.js';
import { statusLabel } from '../../services/family/labels.js';
import { BLOCKERS_IN, labelLanguage, languageArgument } from './labels.js';
import {
  blockersFor, childBlockersFor, childView, contextOf, deadlineView, DOCUMENTS, documentView, matterView, nextDeadlineFor, orderedDeadlines, legalHoldViews, referralView,
  relativeView, seenBy, statusSeenBy, visibleRelatives,
} from '../../projections/families/redaction.js';

/** A family as of a past instant or revision: its state is folded from the stream, not decoded. */
export interface PastFamilyRow extends FamilyRow {
  readonly state: FamilyState;
  readonly knownAt: string;
  /** The day blockers and days left are counted from. */
  readonly today: CalendarDate;
}

const isPast = (row: FamilyRow): row is PastFamilyRow => 'state' in row;

/**
 * Forgets every decoded state, kept view and cached answer: they hold the people's data as decoded, so after an erasure the
 * states of earlier revisions (the person's plaintext) must not stay in memory, nor be served to
 * a read model restored at such a revision.
 */
export const forgetDecodedFamilyStates = (): void => {
  forgetDecodedStates();
  views.clear();
  forgetAllAnswers();
};

/** The folded state a row shows: the past state of a past row, else the live one. */
export const stateOf = (row: FamilyRow): FamilyState => (isPast(row) ? row.state : liveStateOf(row));

const contexts = new WeakMap<FamilyRow, DisclosureContext>();

/**
 * What the caller may know of the row's family: their scope, who is hidden and the ids shown,
 * always from the family's live state, so a person hidden now is hidden in the past as well.
 */
export const disclosureOf = (row: FamilyRow): DisclosureContext => {
  let context = contexts.get(row);
  if (!context) {
    const live = liveStateOf(row);
    context = contextOf(row, live);
    contexts.set(row, context);
  }
  return context;
};

/** Names and dates of people are served only at DOCUMENTS scope and above: each such read is logged. */
const recordPeopleRead = (row: FamilyRow, context: GraphQLContext): void => {
  if (row.viewer_scope >= DOCUMENTS) context.accessLog.record(row.family_id, 'people');
};

type Resolver<T> = (row: FamilyRow, args: unknown, context: GraphQLContext) => T;

/** Today, or the day a past family is shown as of. */
const todayFor = (row: FamilyRow, context: GraphQLContext): CalendarDate => (isPast(row) ? row.today : context.today);

const familyFields: Record<string, Resolver<unknown>> = {
  id: (row) => row.family_id,
  // The status of the family as the caller may see it: people hidden from them change nothing.
  status: (row) => statusSeenBy(disclosureOf(row), stateOf(row)),
  revision: (row) => row.revision,
  knownAt: (row) => (isPast(row) ? row.knownAt : null),
  programme: (row) => row.programme,
  openedAt: (row) => row.opened_at,
  updatedAt: (row) => row.updated_at,
  viewerScope: (row) => disclosureOf(row).scope,
  viewerCanWrite: (row) => row.viewer_can_write === 1,
  leadOrganization: (row, _args, { loaders }) =>
    loaders.organization.load(row.lead_organization_id).then((org) => org ?? { organization_id: row.lead_organization_id, name: null, kind: null }),
  children: (row, _args, context) => {
    const seen = seenBy(disclosureOf(row), stateOf(row));
    const today = todayFor(row, context);
    return [...seen.children.values()].map((child) => withOwner(Object.assign(childView(disclosureOf(row), seen, child, today, context.deadlineHorizonDays), {
      [BLOCKERS_IN]: (language: Parameters<typeof childBlockersFor>[5]) => childBlockersFor(disclosureOf(row), seen, child.childId, today, context.deadlineHorizonDays, language),
    }), row, child.childId));
  },
  relatives: (row) => {
    return visibleRelatives(disclosureOf(row), stateOf(row).relatives.values()).map((relative) => withOwner(relativeView(disclosureOf(row), relative), row, relative.relativeId));
  },
  documents: (row) =>
    [...seenBy(disclosureOf(row), stateOf(row)).documents.values()].map((document) => withOwner(documentView(disclosureOf(row), document), row, document.documentId)),
  legalMatters: (row) => [...stateOf(row).matters.values()].map((matter) => withOwner(matterView(disclosureOf(row), matter), row, matter.matterId)),
  deadlines: (row, _args, context) =>
    orderedDeadlines(stateOf(row), disclosureOf(row).scope)
      .map((deadline) => withOwner(deadlineView(disclosureOf(row), row.family_id, deadline, todayFor(row, context)), row, deadline.deadlineId)),
  referrals: (row) => [...stateOf(row).referrals.values()].map((referral) => withOwner(referralView(disclosureOf(row), referral), row, referral.referralId)),
  legalHolds: (row) => legalHoldViews(disclosureOf(row), stateOf(row)),
  blockers: (row, args, context) =>
    blockersFor(stateOf(row), disclosureOf(row), todayFor(row, context), context.deadlineHorizonDays, languageArgument((args as { language?: string | null }).language)),
  statusLabel: (row, args, context) => statusLabel(statusSeenBy(disclosureOf(row), stateOf(row)), labelLanguage((args as { language?: string | null }).language, context)),
  sharing: (row, _args, context) => sharingViews(stateOf(row), disclosureOf(row), todayFor(row, context)),
  assignments: (row, _args, context) => {
    const assignments = assignmentViews(stateOf(row), disclosureOf(row), context.viewer.organizationId);
    // The given name of a sought person is personal data: its read is logged like the others.
    if (assignments.length > 0) context.accessLog.record(row.family_id, 'people');
    return assignments;
  },
  nextDeadline: (row, _args, context) => {
    const deadline = nextDeadlineFor(stateOf(row), disclosureOf(row).scope);
    return deadline ? withOwner(deadlineView(disclosureOf(row), row.family_id, deadline, todayFor(row, context)), row, deadline.deadlineId) : null;
  },
};

/** Fields that serve names and dates of people: each read of them is logged (recordPeopleRead), cached or not. */
const PEOPLE_FIELDS: ReadonlySet<string> = new Set(['children', 'relatives']);

/**
 * Fields whose value is a function of the family's live state at its revision, the caller's
 * scope, today, the deadline horizon and the field's arguments alone (not of the caller's
 * organisation): computed once per such key and shared by every request, as the state of a family
 * at a revision never changes. Bounded: the oldest keys go first past the limit.
 */
const VIEW_FIELDS: ReadonlySet<string> = new Set(['status', 'children', 'relatives', 'documents', 'legalMatters', 'deadlines', 'referrals', 'blockers', 'sharing', 'nextDeadline']);
const VIEWS_LIMIT = 5_000;
const views = new LatestRevisionCache<Map<string, unknown>>(VIEWS_LIMIT);

const viewsOf = (row: FamilyRow, context: GraphQLContext): Map<string, unknown> => {
  const key = `${row.family_id}#${String(row.viewer_scope)}#${context.today}#${String(context.deadlineHorizonDays)}`;
  let fields = views.get(key, row.revision);
  if (!fields) {
    fields = new Map();
    views.set(key, row.revision, fields);
  }
  return fields;
};

/** A kept view for this request: the same fields, owned by this request's row (the nested case-file fields read their owner). */
const forRow = (value: unknown, row: FamilyRow): unknown => {
  const rebind = (view: unknown): unknown => {
    const owner = ownerOf(view);
    return owner ? withOwner({ ...(view as object) }, row, owner.id) : view;
  };
  return Array.isArray(value) ? value.map(rebind) : rebind(value);
};

const resolveField = (field: string, resolve: Resolver<unknown>): Resolver<unknown> => (row, args, context) => {
  if (PEOPLE_FIELDS.has(field)) recordPeopleRead(row, context);
  if (isPast(row) || !VIEW_FIELDS.has(field)) return resolve(row, args, context);
  const fields = viewsOf(row, context);
  // Arguments (a blockers language) are part of the key.
  const key = `${field}${JSON.stringify(args ?? {})}`;
  if (fields.has(key)) return forRow(fields.get(key), row);
  const value = resolve(row, args, context);
  fields.set(key, value);
  return value;
};

/** Family fields through the allowlist: a field not listed for the caller's scope resolves to null. */
export const familyResolvers: Record<string, Resolver<unknown>> = Object.fromEntries(
  Object.entries(familyFields).map(([field, resolve]) => {
    const resolved = resolveField(field, resolve);
    return [field, (row: FamilyRow, args: unknown, context: GraphQLContext) => (listed('Family', field, disclosureOf(row).scope) ? resolved(row, args, context) : null)];
  }),
);

/** A referral view's `toOrganization` is the organisation's id (when the scope lists it). */
export const referralResolvers = {
  toOrganization: (referral: { toOrganization?: string }, _args: unknown, { loaders }: GraphQLContext) =>
    referral.toOrganization === undefined
      ? null
      : loaders.organization.load(referral.toOrganization).then((org) => org ?? { organization_id: referral.toOrganization, name: null, kind: null }),
};

/** A sharing view's `organization` is the organisation's id. */
export const sharingResolvers = {
  organization: (sharing: { organization?: string }, _args: unknown, { loaders }: GraphQLContext) =>
    sharing.organization === undefined
      ? null
      : loaders.organization.load(sharing.organization).then((org) => org ?? { organization_id: sharing.organization, name: null, kind: null }),
};

export const organizationResolvers = {
  id: (org: { organization_id: string }) => org.organization_id,
};
