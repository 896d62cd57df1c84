/**
 * `npm run demo`: loads the five case patterns of DOMAIN.md as realistic families into the
 * configured store (infra/cli/demo-data.ts, through the command handler, like any client),
 * registers the demo organisations and prints an API key for each. It writes into the store
 * TRACKER_DATA_DIR names: a server on another directory rejects its keys. `npm start -- --demo`
 * loads it into the running server's own store instead (infra/main.ts).
 */
import { loadConfig } from '../config.js';
import { openEncryptedEventStore } from '../event-store/open-encrypted-event-store.js';
import { loadDemoData } from './demo-data.js';
import { DEMO_ALREADY_LOADED, demoNotice } from './demo-notice.js';
import { createOwnerOnlyFiles } from '../private-files.js';

createOwnerOnlyFiles();
const config = loadConfig();
const store = openEncryptedEventStore(config);
const loaded = await loadDemoData(store, new Date());
if (!loaded) {
  process.stdout.write(DEMO_ALREADY_LOADED);
} else {
  // The server must run with the same TRACKER_DATA_DIR (and PORT) as this command; `npm start -- --demo` cannot miss.
  process.stdout.write(demoNotice(loaded, config.eventStore.kind === 'sqlite' ? config.eventStore.file : 'EventStoreDB', `http://localhost:${String(config.port)}`));
}
await store.close();
