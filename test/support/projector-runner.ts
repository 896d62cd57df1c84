/**
 * Child process of the projector crash test: catches the read model up with the event store,
 * then exits. The parent kills it with SIGKILL at random moments along the way.
 * Usage: projector-runner <events file> <read-model file>
 */
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { Projector } from '../../projections/projector.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';

const [eventsFile, readFile] = process.argv.slice(2);
if (!eventsFile || !readFile) throw new Error('usage: projector-runner <events file> <read-model file>');

const store = SqliteEventStore.open(eventsFile);
const db = openReadModelDatabase(readFile);
const projector = new Projector(store, db, PROJECTIONS, () => undefined);
process.stdout.write('projecting\n');
await projector.catchUp();
db.close();
await store.close();
process.stdout.write('done\n');
