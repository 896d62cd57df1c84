import type Database from 'better-sqlite3';
import type { DeadlineState } from '../../services/family/state.js';
import { familyDataKeyId } from '../../services/privacy/data-key-id.js';
import { isSealedValue, openSealed, subjectOfSealed, type ReadModelSealer } from '../../services/privacy/read-model-sealer.js';
import { isErased } from '../../services/privacy/sealed-data.js';

/**
 * A deadline's day in the families read model's rows (`family_deadlines.due_on`,
 * `families.next_deadline_on`, `families.earliest_age_out_on`). A day derived from the child's
 * birth date (an SIJ age-out: `DeadlineState.personalDueOn`) tells the birth date, so it is kept
 * sealed with the child's data key (services/privacy/read-model-sealer.ts), bound to the column
 * and the person, as the case file keeps its personal values (casefile/personal-column.ts); any
 * other day (a hearing's, a deadline set by hand) stays a plain `YYYY-MM-DD`. The sealing is
 * deterministic, so `projections check` still compares rows byte for byte. SQL that compares
 * or sorts these days opens them with `families_day(place, column)` (registerFamiliesDay), per
 * row, only when the query runs; an erased child's day opens as null and matches nothing.
 * Without a sealer (projection tests that run no key store) the day is kept plain.
 */
export type DayPlace = 'family_deadlines.due_on' | 'families.next_deadline_on' | 'families.earliest_age_out_on';

const PLAIN_DAY = /^\d{4}-\d{2}-\d{2}$/;

const placeOf = (place: DayPlace, keyId: string) => ({ readModel: 'families', rowKey: keyId, field: place });

/** The day as kept at this place: sealed under the child when it came from the birth date; null when unknown (erased). */
export const keptDay = (sealer: ReadModelSealer | undefined, familyId: string, deadline: DeadlineState, place: DayPlace): string | null => {
  if (deadline.dueOn === undefined) return null;
  if (!sealer || deadline.personalDueOn !== true || deadline.childId === undefined) return deadline.dueOn;
  const keyId = familyDataKeyId(familyId, deadline.childId);
  return sealer.seal(placeOf(place, keyId), keyId, deadline.dueOn);
};

/** The day kept at this place, or null (none, an erased child's, or a value sealed for another place). */
export const openDay = (place: string, text: string | null | undefined): string | null => {
  if (text === null || text === undefined || text === '') return null;
  if (PLAIN_DAY.test(text)) return text;
  if (!isSealedValue(text)) return null;
  const value = openSealed(placeOf(place as DayPlace, subjectOfSealed(text)), text);
  return typeof value === 'string' && !isErased(value) ? value : null;
};

const registered = new WeakSet<Database.Database>();
/** `families_day(place, column)` on this connection: the day, opened (see above). */
export const registerFamiliesDay = (db: Database.Database): void => {
  if (registered.has(db)) return;
  db.function('families_day', { deterministic: true }, (place: unknown, stored: unknown) => (typeof stored === 'string' ? openDay(String(place), stored) : null));
  registered.add(db);
};
