import type { FamilyRow } from '../../projections/families/family-read-model.js';
import { listed, showsPersonalData } from '../../projections/families/disclose.js';
import { historyEventView } from '../../projections/families/history-redaction.js';
import { timelineEntry, timelineLanguage } from '../../projections/timeline/timeline.js';
import { collect } from '../../services/shared/async-iterable.js';
import { rule } from '../../services/shared/domain-error.js';
import type { GraphQLContext } from '../context.js';
import { opaqueCursor } from '../cursors.js';
import { badUserInput } from '../errors.js';
import { disclosureOf } from './family.js';
import { connection, pageSize } from './connection.js';

const MAX_PAGE = 200;
const cursor = opaqueCursor('timeline');

/** Yoga puts the HTTP request into every context (absent for in-process callers). */
export const acceptLanguageOf = (context: GraphQLContext): string | null =>
  (context as GraphQLContext & { request?: { headers?: { get?: (name: string) => string | null } } }).request?.headers?.get?.('accept-language') ?? null;

/**
 * `Family.timeline`: the stream's events read from the event store like familyHistory (the same
 * rate-limit charge per 100 events, the same redaction, the same access-log entry when a sentence
 * shows personal data), each rendered as one sentence (projections/timeline/).
 */
export const timelineResolver = async (row: FamilyRow, args: { first?: number | null; after?: string | null; language?: string | null }, context: GraphQLContext) => {
  const disclosure = disclosureOf(row);
  if (!listed('Family', 'timeline', disclosure.scope)) return null;
  const first = pageSize(args.first, 50, MAX_PAGE);
  if (args.language && !['en', 'es'].includes(args.language.toLowerCase().split('-')[0] ?? '')) throw badUserInput('language', rule`must be en or es`);
  const language = timelineLanguage(args.language, acceptLanguageOf(context));
  const fromRevision = args.after ? cursor.decodeIndex(args.after) + 1 : 0;
  await (context.rateLimit?.charge(Math.floor(Math.min(first, Math.max(0, row.revision + 1 - fromRevision)) / 100)) ?? Promise.resolve());
  // Up to the family's revision as answered (a past one for family(asOf:, atRevision:)), never beyond.
  const events = (await collect(context.history.events(row.family_id, { fromRevision, maxCount: first + 1 }))).filter((event) => event.revision <= row.revision);
  const page = events.slice(0, first);
  if (page.some((event) => showsPersonalData(historyEventView(event, disclosure).data))) context.accessLog.record(row.family_id, 'history');
  const edges = page.map((event) => ({ cursor: cursor.encode(event.revision), node: timelineEntry(event, disclosure, language) }));
  return { ...connection(edges, { hasNextPage: events.length > first, hasPreviousPage: fromRevision > 0 }), totalCount: row.revision + 1 };
};

export const timelineEntryResolvers = {
  recordedBy: (entry: { recordedByOrganizationId: string | null }, _args: unknown, { loaders }: GraphQLContext) =>
    entry.recordedByOrganizationId === null
      ? null
      : loaders.organization.load(entry.recordedByOrganizationId).then((org) => org ?? { organization_id: entry.recordedByOrganizationId, name: null, kind: null }),
};
