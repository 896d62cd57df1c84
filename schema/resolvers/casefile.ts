import type { UnlocatedRelativeFilter, UnlocatedRelativeRow } from '../../projections/casefile/casefile-read-model.js';
import type { FamilyRow } from '../../projections/families/family-read-model.js';
import { DOCUMENTS, relativeView } from '../../projections/families/redaction.js';
import { rule } from '../../services/shared/domain-error.js';
import type { GraphQLContext } from '../context.js';
import { opaqueCursor } from '../cursors.js';
import { badUserInput } from '../errors.js';
import { disclosureOf, stateOf } from './family.js';
import { connection, pageSize } from './connection.js';

const MAX_PAGE = 100;
const MAX_MONTHS = 1_200;
const cursor = opaqueCursor('unlocated');

const decodeAfter = (after: string): { familyId: string; relativeId: string } => {
  const [familyId, relativeId] = cursor.decode(after).split('\n');
  if (!familyId || !relativeId) throw badUserInput('after', rule`is not a cursor returned by this API`);
  return { familyId, relativeId };
};

/** One relative not yet found, as the caller's scope shows them (ids, relationship and dates through the allowlist's Relative view). */
const unlocatedNode = (row: UnlocatedRelativeRow, family: FamilyRow | null) => {
  if (!family) return null;
  const context = disclosureOf(family);
  const relative = stateOf(family).relatives.get(row.relative_id);
  if (!relative || context.hidden.has(row.relative_id)) return null;
  const view = relativeView(context, relative);
  if (view.id === undefined) return null;
  return {
    family,
    relativeId: view.id,
    relationship: view.relationship ?? relative.relationship,
    locationStatus: row.location_status,
    tracingStarted: row.location_status !== 'NOT_SOUGHT',
    believedCountry: row.believed_country,
    separatedOn: family.viewer_scope >= DOCUMENTS ? row.separated_on : null,
    monthsSinceSeparation: row.months_since_separation,
    tracingOrganizationId: row.defender_organization_id,
    // The day tracing started is DOCUMENTS data (as Relative.notLocatedSince and TracingStarted.startedOn).
    notLocatedSince: row.location_status === 'NOT_SOUGHT' || family.viewer_scope < DOCUMENTS ? null : row.sought_since,
  };
};

export const casefileQueryResolvers = {
  unlocatedRelatives: async (_root: unknown, args: { filter?: UnlocatedRelativeFilter | null; first?: number | null; after?: string | null }, context: GraphQLContext) => {
    const first = pageSize(args.first, 20, MAX_PAGE);
    const filter = args.filter ?? {};
    const months = filter.monthsSinceSeparationAtLeast;
    if (months !== undefined && months !== null && (months < 0 || months > MAX_MONTHS)) throw badUserInput('monthsSinceSeparationAtLeast', rule`must be between 0 and ${MAX_MONTHS}`);
    const page = context.casefile.list(filter, first, args.after ? decodeAfter(args.after) : undefined);
    const families = await Promise.all(page.rows.map((row) => context.loaders.family.load(row.family_id)));
    const edges = page.rows.flatMap((row, index) => {
      const node = unlocatedNode(row, families[index] ?? null);
      return node ? [{ cursor: cursor.encode(`${row.family_id}\n${row.relative_id}`), node }] : [];
    });
    for (const family of families) if (family && family.viewer_scope >= DOCUMENTS) context.accessLog.record(family.family_id, 'people');
    const last = page.rows.at(-1);
    return {
      ...connection(edges, { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), endCursor: last ? cursor.encode(`${last.family_id}\n${last.relative_id}`) : null }),
      totalCount: page.totalCount,
    };
  },
};

export const unlocatedRelativeResolvers = {
  tracingOrganization: (node: { tracingOrganizationId: string | null }, _args: unknown, { loaders }: GraphQLContext) =>
    node.tracingOrganizationId === null
      ? null
      : loaders.organization.load(node.tracingOrganizationId).then((org) => org ?? { organization_id: node.tracingOrganizationId, name: null, kind: null }),
};
