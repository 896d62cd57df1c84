import { parseFeedCursor, type FamilyReadModel } from '../../projections/families/family-read-model.js';
import { statusChangeView } from '../../projections/families/redaction.js';
import { forbidden, notFound, rule } from '../../services/shared/domain-error.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput, unauthenticated } from '../errors.js';
import { pageSize } from './connection.js';

/**
 * Partners follow status changes by "notify, then pull": each subscriber keeps only its cursor;
 * when the projector advances (or every few seconds) it reads its next page from the read model,
 * with access judged as of that moment. Nothing queues up per subscriber, so a slow or silent
 * one costs nothing while it does not read, and misses nothing when it does.
 */
const PAGE = 100;
const MAX_FEED_PAGE = 500;
const MAX_FAMILY_IDS = 100;
/** Even when nothing happens, access is checked again this often (a referral may expire). */
const RECHECK_MS = 2_000;

/** Through the allowlist (projections/families/allowlist.ts), as webhooks are. */
const changeView = statusChangeView;

const cursorOf = (after: string) => {
  const position = parseFeedCursor(after);
  if (!position) throw badUserInput('after', rule`is not a cursor returned by this API`);
  return position;
};

const distinctIds = (familyIds: readonly string[] | null | undefined): string[] | undefined => {
  if (!familyIds) return undefined;
  const ids = [...new Set(familyIds)];
  if (ids.length === 0 || ids.length > MAX_FAMILY_IDS) throw badUserInput('familyIds', rule`takes 1 to ${MAX_FAMILY_IDS} ids (or none for every family)`);
  return ids;
};

/** The first named family the caller cannot see now, if any. */
const firstHidden = (readModel: FamilyReadModel, ids: readonly string[] | undefined): string | undefined => {
  if (!ids) return undefined;
  const visible = readModel.familiesByIds(ids);
  return ids.find((id) => !visible.has(id));
};

interface FeedArgs { readonly familyIds?: readonly string[] | null; readonly after?: string | null }

export const statusFeedQueryResolvers = {
  familyStatusChanges: (_root: unknown, args: FeedArgs & { first?: number | null }, context: GraphQLContext) => {
    const first = pageSize(args.first, PAGE, MAX_FEED_PAGE);
    const ids = distinctIds(args.familyIds);
    const hidden = firstHidden(context.readModel, ids);
    if (hidden) throw notFound('familyIds', rule`family`);
    const rows = context.readModel.statusChangesAfter(args.after ? cursorOf(args.after) : undefined, ids, first + 1);
    const changes = rows.slice(0, first).map(changeView);
    return { changes, endCursor: changes.at(-1)?.cursor ?? args.after ?? null, hasMore: rows.length > first };
  },
};

export const subscriptionResolvers = {
  familyStatusChanged: {
    subscribe: async function* (_root: unknown, args: FeedArgs, context: GraphQLContext) {
      const ids = distinctIds(args.familyIds);
      const hidden = firstHidden(context.readModel, ids);
      if (hidden) throw notFound('familyIds', rule`family`);
      let cursor = args.after ? cursorOf(args.after) : context.readModel.statusFeedHead();
      for (;;) {
        // Before every page: the key is still active and the named families still visible (two
        // index lookups); the page itself is filtered by access as of now.
        if (!context.live.keyIsActive()) throw unauthenticated(rule`The API key was revoked: the subscription has ended.`);
        const readModel = context.live.readModelNow();
        const lost = firstHidden(readModel, ids);
        if (lost) throw forbidden(rule`Access to one of the families has ended (referral revoked or expired): the subscription has ended.`);
        const page = readModel.statusChangesAfter(cursor, ids, PAGE);
        for (const row of page) {
          cursor = { commit: row.position_commit, prepare: row.position_prepare };
          yield { familyStatusChanged: changeView(row) };
        }
        if (page.length < PAGE) await context.live.waitForProgress(RECHECK_MS);
      }
    },
  },
};
