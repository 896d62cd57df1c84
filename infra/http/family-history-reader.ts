import type { FamilyHistoryReader, HistoryEvent } from '../../schema/context.js';
import { StreamNotFoundError } from '../../services/event-store/errors.js';
import { familyStreamName } from '../../services/family/family-decider.js';
import type { EventStore } from '../../services/event-store/port.js';
import { comparePositions, formatPosition } from '../../services/event-store/position.js';

/**
 * A family's stream read from the event store for history and as-of (`store`: personal data
 * opened) and for verification (`storedForm`: as stored, sealed, which the hash chain covers;
 * the same store when nothing is sealed); none is empty.
 */
export const createFamilyHistoryReader = (store: EventStore, storedForm: EventStore = store): FamilyHistoryReader => ({
  events: familyEventsOf(store),
  storedEvents: familyEventsOf(storedForm),
});

/**
 * Ends at the store's head: `readStream` may show a commit whose sync has not returned yet
 * (the SQLite store syncs off the event loop), and history and as-of never show an event a
 * power cut could take back; `headPosition` stops before the first one.
 */
const familyEventsOf = (store: EventStore): FamilyHistoryReader['events'] =>
  async function* (familyId, options = {}): AsyncGenerator<HistoryEvent> {
    const head = await store.headPosition();
    if (head === undefined) return;
    try {
      for await (const event of store.readStream(familyStreamName(familyId), options)) {
        if (comparePositions(event.position, head) > 0) return;
        yield { revision: event.revision, position: formatPosition(event.position), type: event.type, data: event.data, metadata: event.metadata };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  };
