/**
 * `npm run tracker -- <command>`: the operators' and auditors' command line.
 * Every command has --help. Configuration comes from the same environment as `npm start`.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { rebuildProjections } from '../../projections/rebuild.js';
import { openReadModelDatabase } from '../../projections/read-model-database.js';
import { Projector } from '../../projections/projector.js';
import { loadConfig } from '../config.js';
import { openEventStore } from '../event-store/open-event-store.js';
import { PROJECTIONS } from '../tracker.js';

const openStores = () => {
  const config = loadConfig();
  const store = openEventStore(config.eventStore);
  const db = openReadModelDatabase(join(config.dataDir, 'read-models.sqlite'));
  return { store, db, close: async () => { db.close(); await store.close(); } };
};

const program = new Command('tracker').description('Family reunification tracker: operator and auditor tools').showHelpAfterError();
const projections = program.command('projections').description('read-model projections');

projections
  .command('rebuild')
  .description('rebuild projections from the start of the event store (stop the server first)')
  .argument('[name]', `one projection: ${PROJECTIONS.map((p) => p.name).join(', ')}; default all`)
  .action(async (name?: string) => {
    const chosen = PROJECTIONS.filter((p) => name === undefined || p.name === name);
    if (chosen.length === 0) program.error(`unknown projection '${name ?? ''}' (known: ${PROJECTIONS.map((p) => p.name).join(', ')})`);
    const { store, db, close } = openStores();
    const total = Number((await store.headPosition())?.commit ?? 0n) * chosen.length;
    const bar = new SingleBar({ format: 'rebuild |{bar}| {percentage}% | {value}/{total} events | {rate} events/s', hideCursor: true }, Presets.shades_classic);
    const started = performance.now();
    bar.start(total, 0, { rate: 0 });
    const applied = await rebuildProjections(store, db, chosen, (done) => {
      bar.update(done, { rate: Math.round((done * 1000) / (performance.now() - started)) });
    });
    bar.update(applied, { rate: Math.round((applied * 1000) / (performance.now() - started)) });
    bar.stop();
    process.stdout.write(`rebuilt ${chosen.map((p) => p.name).join(', ')}: ${String(applied)} events applied in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    await close();
  });

projections
  .command('status')
  .description("each projection's version, checkpoint and whether it has caught up")
  .action(async () => {
    const { store, db, close } = openStores();
    const projector = new Projector(store, db, PROJECTIONS);
    process.stdout.write(`${JSON.stringify(projector.status(), null, 2)}\n`);
    await close();
  });

await program.parseAsync();
