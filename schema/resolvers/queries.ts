import type { FamilyFilter } from '../../projections/families/family-read-model.js';
import type { GraphQLContext } from '../context.js';
import { forbidden, notFound, rule } from '../../services/shared/domain-error.js';
import { opaqueCursor } from '../cursors.js';
import { badUserInput } from '../errors.js';
import { upcomingDeadlinesFor } from './deadlines.js';
import { familyAsOf } from './history.js';
import { connection, pageSize } from './connection.js';

const MAX_PAGE = 100;
const MAX_ACCESS_LOG_PAGE = 500;
const MAX_DEADLINE_DAYS = 3_650;

const familyCursor = opaqueCursor('family');

/** Resolves an object's `organizationId` to its organisation (Viewer, CaseloadEntry, AccessLogEntry, Webhook). */
export const organizationField = (parent: { organizationId: string }, _args: unknown, context: GraphQLContext) =>
  context.loaders.organization.load(parent.organizationId).then((org) => org ?? { organization_id: parent.organizationId, name: null, kind: null });

/** `totalCount` is counted only when a query selects it (a count over every visible family). */
export const familyConnectionResolvers = {
  totalCount: (connection: { totalCount: () => number }) => connection.totalCount(),
};

export const queryResolvers = {
  viewer: (_root: unknown, _args: unknown, context: GraphQLContext) => context.viewer,

  family: async (_root: unknown, args: { id: string; asOf?: string | null; atRevision?: number | null }, context: GraphQLContext) => {
    const row = await context.loaders.family.load(args.id);
    if (!row || ((args.asOf === undefined || args.asOf === null) && (args.atRevision === undefined || args.atRevision === null))) return row;
    return familyAsOf(row, args, context);
  },

  families: (_root: unknown, args: { filter?: FamilyFilter | null; first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const first = pageSize(args.first, 20, MAX_PAGE);
    const filter = args.filter ?? {};
    if (filter.agingOutWithinDays !== undefined && filter.agingOutWithinDays !== null && (filter.agingOutWithinDays < 0 || filter.agingOutWithinDays > MAX_DEADLINE_DAYS)) {
      throw badUserInput('agingOutWithinDays', rule`must be between 0 and ${MAX_DEADLINE_DAYS}`);
    }
    if (filter.deadlineWithinDays !== undefined && filter.deadlineWithinDays !== null && (filter.deadlineWithinDays < 0 || filter.deadlineWithinDays > MAX_DEADLINE_DAYS)) {
      throw badUserInput('deadlineWithinDays', rule`must be between 0 and ${MAX_DEADLINE_DAYS}`);
    }
    if (filter.facility !== undefined && filter.facility !== null && filter.facility.length > 200) throw badUserInput('facility', rule`must be at most ${200} characters`);
    const page = context.readModel.listFamilies(filter, first, args.after ? familyCursor.decode(args.after) : undefined);
    for (const row of page.rows) context.loaders.family.prime(row.family_id, row);
    const edges = page.rows.map((row) => ({ cursor: familyCursor.encode(row.family_id), node: row }));
    return { ...connection(edges, { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after) }), totalCount: page.totalCount };
  },

  upcomingDeadlines: (_root: unknown, args: { withinDays: number }, context: GraphQLContext) => {
    if (args.withinDays < 0 || args.withinDays > MAX_DEADLINE_DAYS) throw badUserInput('withinDays', rule`must be between 0 and ${MAX_DEADLINE_DAYS}`);
    return upcomingDeadlinesFor(args.withinDays, context);
  },

  statistics: (_root: unknown, _args: unknown, context: GraphQLContext) => ({
    familiesByStatusAndCountry: context.readModel.familiesByStatusAndCountry(),
    // By the country where each relative is believed to be (FULL scope; else null), including relatives nobody has started tracing (issue 15).
    unlocatedRelatives: context.casefile.counts().map((r) => ({ country: r.country, monthsSinceSeparation: r.months_since_separation, relatives: r.relatives, notTraced: r.not_traced })),
  }),

  familyAccessLog: async (_root: unknown, args: { familyId: string; first?: number | null }, context: GraphQLContext) => {
    const first = pageSize(args.first, 50, MAX_ACCESS_LOG_PAGE);
    if (!(await context.loaders.family.load(args.familyId))) throw notFound('familyId', rule`family`);
    if (context.viewer.role !== 'AUDITOR' && context.viewer.role !== 'ADMIN') throw forbidden(rule`The access log is for auditors and administrators`);
    return context.accessLogEntries.accessLog(args.familyId, first).map((entry) => ({
      userId: entry.user_id, organizationId: entry.organization_id, role: entry.role, fields: entry.fields, viewedAt: entry.viewed_at,
    }));
  },

  /** Advocates and administrators coordinate transfers: they see every organisation's open counts. */
  caseload: (_root: unknown, _args: unknown, context: GraphQLContext) =>
    context.readModel.caseload(context.viewer.role === 'ADVOCATE' || context.viewer.role === 'ADMIN').map((entry) => ({ organizationId: entry.organization_id, status: entry.status, families: entry.families })),
};
