import type { Config } from '../config.js';
import { openEncryptedEventStore } from '../event-store/open-encrypted-event-store.js';
import type { RunningTracker } from '../tracker.js';
import { loadDemoData } from './demo-data.js';
import { DEMO_ALREADY_LOADED, demoNotice } from './demo-notice.js';

/** How long the read models may take to show the demo before the keys are printed anyway. */
const DEMO_VISIBLE_WITHIN_MS = 30_000;

/**
 * `npm start -- --demo`: loads the demo families into the store of the tracker that is running
 * (the same configuration, so the same data directory or EventStoreDB; its own connection, as
 * any writer), waits until the read models have them, and writes the keys with the tracker's
 * real address to `out`. A store that already has the demo is left unchanged.
 */
export const loadDemoIntoRunningTracker = async (config: Config, tracker: RunningTracker, out: NodeJS.WritableStream): Promise<void> => {
  // Encrypted at rest like the server's own writes (its own connection to the key store too).
  const store = openEncryptedEventStore(config);
  try {
    const loaded = await loadDemoData(store, new Date());
    if (!loaded) {
      out.write(`\n${DEMO_ALREADY_LOADED}\n`);
      return;
    }
    const head = await store.headPosition();
    if (head) await tracker.projector.waitFor(head, DEMO_VISIBLE_WITHIN_MS);
    out.write(`\n${demoNotice(loaded, config.eventStore.kind === 'sqlite' ? config.eventStore.file : 'EventStoreDB', tracker.url)}\n`);
  } finally {
    await store.close();
  }
};
