/**
 * `npm run demo`: loads the five case patterns of DOMAIN.md as realistic families into the
 * configured store (infra/cli/demo-data.ts, through the command handler, like any client),
 * registers the demo organisations and prints an API key for each, then what to query.
 */
import { loadConfig } from '../config.js';
import { openEventStore } from '../event-store/open-event-store.js';
import { loadDemoData } from './demo-data.js';

const config = loadConfig();
const store = openEventStore(config.eventStore);
const loaded = await loadDemoData(store, new Date());
if (!loaded) {
  process.stdout.write('The demo data is already in this store (its API keys were printed when it was loaded).\n');
} else {
  const url = `http://localhost:${String(config.port)}/graphql`;
  process.stdout.write(
    [
      `Loaded ${String(loaded.families)} demo families into ${config.eventStore.kind === 'sqlite' ? config.eventStore.file : 'EventStoreDB'}.`,
      '',
      'API keys (shown once; each sees the families its organisation leads or was referred):',
      ...loaded.keys.map(([name, key]) => `  ${name}:\n    ${key}`),
      '',
      `Start the tracker (npm start), open ${url} and set the header`,
      '  {"Authorization": "Bearer <key>"}',
      'then try:',
      '  { families(first: 10) { totalCount edges { node { id status blockers nextDeadline { kind dueOn daysLeft } } } } }',
      '  { upcomingDeadlines(withinDays: 60) { familyId kind dueOn daysLeft } }',
      '  { statistics { familiesByStatusAndCountry { status country families } unlocatedRelatives { country monthsSinceSeparation relatives } } }',
      '',
    ].join('\n'),
  );
}
await store.close();
