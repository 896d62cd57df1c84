import type { FamilyHistoryReader, HistoryEvent } from '../../schema/context.js';
import { StreamNotFoundError } from '../../services/event-store/errors.js';
import { familyStreamName } from '../../services/family/family-decider.js';
import type { EventStore } from '../../services/event-store/port.js';
import { formatPosition } from '../../services/event-store/position.js';

/**
 * A family's stream read from the event store for history and as-of (`store`: personal data
 * opened) and for verification (`storedForm`: as stored, sealed, which the hash chain covers;
 * the same store when nothing is sealed); none is empty.
 */
export const createFamilyHistoryReader = (store: EventStore, storedForm: EventStore = store): FamilyHistoryReader => ({
  events: familyEventsOf(store),
  storedEvents: familyEventsOf(storedForm),
});

const familyEventsOf = (store: EventStore): FamilyHistoryReader['events'] =>
  async function* (familyId, options = {}): AsyncGenerator<HistoryEvent> {
    try {
      for await (const event of store.readStream(familyStreamName(familyId), options)) {
        yield { revision: event.revision, position: formatPosition(event.position), type: event.type, data: event.data, metadata: event.metadata };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  };
