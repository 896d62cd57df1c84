import { join } from 'node:path';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { evolve } from '../../services/family/evolve.js';
import { initialFamilyState, type FamilyState } from '../../services/family/state.js';
import { familyEventOf } from '../../services/family/upcast.js';
import { loadCasePatterns } from '../bench/case-pattern-load.js';

/**
 * Loads `events` real-shaped events (the demo's case patterns, 10 cases open at once) into a
 * SQLite store in `dir`, then folds every family: per family stream, its states from the
 * initial one, one per event.
 */
export const caseStateHistories = async (dir: string, events: number, seed: number): Promise<Map<string, FamilyState[]>> => {
  const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
  try {
    await loadCasePatterns(store, events, { open: 10, seed });
    const histories = new Map<string, FamilyState[]>();
    for await (const event of store.readAll()) {
      if (!event.stream.startsWith('family-')) continue;
      const states = histories.get(event.stream) ?? [initialFamilyState];
      states.push(evolve(states.at(-1)!, familyEventOf(event)));
      histories.set(event.stream, states);
    }
    return histories;
  } finally {
    await store.close();
  }
};
