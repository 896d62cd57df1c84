import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config.js';
import { EsdbEventStore } from './esdb/esdb-event-store.js';
import type { EventStore } from '../../services/event-store/port.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

/** The adapter the configuration selects: EventStoreDB by connection string, else the embedded file. */
export const openEventStore = (config: Config['eventStore']): EventStore => {
  if (config.kind === 'eventstoredb') return EsdbEventStore.connect(config.connectionString);
  mkdirSync(dirname(config.file), { recursive: true });
  return SqliteEventStore.open(config.file);
};
