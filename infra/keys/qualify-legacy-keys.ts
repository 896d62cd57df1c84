import type { EventStore } from '../../services/event-store/port.js';
import { legacyKeyIdsIn } from '../../services/privacy/personal-data-cipher.js';
import type { SqliteKeyStore } from './sqlite-key-store.js';

/**
 * Retires the keys stored before keys were qualified (data-key-id.ts): an unqualified key
 * (`mother`) opened the envelopes of every family's `mother`, so destroying one family's key
 * left that person readable in their older events through it. For every envelope sealed then,
 * its family gets its own copy of the key (`family-<id>/mother#unqualified`, made durably by the
 * key store), and only then are the unqualified keys destroyed: from then on each person's older
 * envelopes open with their own family's copy, which their erasure destroys with their key.
 * Reads the whole store once, and only while unqualified keys are alive (a store written
 * before keys were qualified, at its first start since); a crash before the end repeats it at
 * the next start. Returns how many keys it retired and copies it made.
 */
export const qualifyLegacyKeys = async (keyStore: SqliteKeyStore, storedForm: EventStore): Promise<{ readonly retired: number; readonly copies: number }> => {
  const unqualified = keyStore.aliveUnqualifiedKeys();
  if (unqualified.length === 0) return { retired: 0, copies: 0 };
  const copies = new Set<string>();
  for await (const event of storedForm.readAll()) {
    for (const keyId of legacyKeyIdsIn(event.stream, event.data)) {
      if (copies.has(keyId)) continue;
      // Asking for the copy makes it (durably), unless the person's copy was destroyed already.
      keyStore.keyForOpeningNow(keyId);
      copies.add(keyId);
    }
  }
  for (const keyId of unqualified) await keyStore.destroy(keyId);
  return { retired: unqualified.length, copies: copies.size };
};
