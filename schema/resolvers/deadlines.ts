import { deadlinePrecision } from '../../projections/families/allowlist.js';
import type { FamilyRow } from '../../projections/families/family-read-model.js';
import { deadlineView, visibleDueKey } from '../../projections/families/redaction.js';
import type { DeadlineKind } from '../../services/family/vocabulary.js';
import type { DeadlineStatus } from '../../services/family/state.js';
import { addDays, daysBetween, lastDayOfMonth, monthOf, type CalendarDate } from '../../services/shared/calendar-date.js';
import type { GraphQLContext } from '../context.js';
import { disclosureOf } from './family.js';

/**
 * `upcomingDeadlines(withinDays)`, each deadline as its family's reader may see it. A reader who
 * may know a deadline only by its month gets it when its month is no later than the month of
 * today + withinDays, so moving withinDays a day at a time never tells the day; a deadline whose
 * timing the reader may not know at all is left out. Ordered by what the reader may know.
 */
export const upcomingDeadlinesFor = async (withinDays: number, context: GraphQLContext) => {
  const until = addDays(context.today, withinDays);
  const rows = context.readModel.upcomingDeadlines(daysBetween(context.today, lastDayOfMonth(until)));
  const families = new Map<string, FamilyRow>();
  for (const family of await context.loaders.family.loadMany([...new Set(rows.map((row) => row.family_id))])) {
    if (family && !(family instanceof Error)) families.set(family.family_id, family);
  }
  const shown = rows.flatMap((row) => {
    const family = families.get(row.family_id);
    if (!family) return [];
    const disclosure = disclosureOf(family);
    const deadline = { deadlineId: row.deadline_id, kind: row.kind as DeadlineKind, dueOn: row.due_on as CalendarDate, status: row.status as DeadlineStatus };
    const precision = deadlinePrecision(deadline.kind, disclosure.scope);
    const due = precision === 'DAY' ? deadline.dueOn <= until : precision === 'MONTH' && monthOf(deadline.dueOn) <= monthOf(until);
    if (!due) return [];
    const view = deadlineView(disclosure, row.family_id, deadline, context.today);
    return [{ key: [visibleDueKey(deadline, disclosure.scope), row.family_id, deadline.kind, String(view.id)], view }];
  });
  return shown.sort((a, b) => compareKeys(a.key, b.key)).map((entry) => entry.view);
};

const compareKeys = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < a.length; i += 1) {
    const order = (a[i] ?? '').localeCompare(b[i] ?? '');
    if (order !== 0) return order;
  }
  return 0;
};
