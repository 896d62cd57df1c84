/**
 * `npm run tracker -- <command>`: the operators' and auditors' command line.
 * Every command has --help. Configuration comes from the same environment as `npm start`.
 */
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { rebuildProjections } from '../../projections/rebuild.js';
import { DamagedReadModelsError, openReadModelDatabase } from '../../projections/read-model-database.js';
import { Projector } from '../../projections/projector.js';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config.js';
import { openEncryptedEventStore } from '../event-store/open-encrypted-event-store.js';
import { createOwnerOnlyFiles } from '../private-files.js';
import { rotateEventStoreKeys, rotateMasterKey } from '../keys/rotate-master-key.js';
import { MasterKeyError } from '../keys/master-key.js';
import { KeyStoreLockedError } from '../keys/sqlite-key-store.js';
import type { EventStore } from '../../services/event-store/port.js';
import { DataDirInUseError, lockDataDir } from '../data-dir-lock.js';
import { DamagedDatabaseError, isDamage } from '../event-store/sqlite/open-database.js';
import { isInstant } from '../../services/shared/calendar-date.js';
import { openEventStore } from '../event-store/open-event-store.js';
import { PROJECTIONS } from '../../projections/all-projections.js';
import { checkProjections } from '../../projections/check.js';
import { sealReadModelsOf } from '../../projections/read-model-sealing.js';
import { exportHistory, ExportError, replayFamily, verifyStreams } from './audit-tools.js';
import { backupDataDir } from './backup.js';
import { ReadModelsNotCurrent, requireCurrentReadModels } from './read-model-guard.js';
import { familiesProjection } from '../../projections/families/families-projection.js';
import { organizationsProjection } from '../../projections/organizations/organizations-projection.js';
import { openSearchIndexForWriting, SEARCH_PROJECTION_NAME, searchIndexPath, searchProjectionOf } from './search-index.js';

// Backups, rebuilt read models and new key files are the operator's alone.
createOwnerOnlyFiles();

const readModelsFile = (dataDir: string): string => join(dataDir, 'read-models.sqlite');

/**
 * The event store alone, opening it checks it for damage. `opened` (replay): personal data
 * opened through the key store; `stored` (verify): as stored, sealed, which the hash chain
 * covers, so verifying needs no key.
 */
const openEvents = (form: 'opened' | 'stored') => {
  const config = loadConfig();
  const store: EventStore = form === 'opened' ? openEncryptedEventStore(config) : openEventStore(config.eventStore);
  return { config, store };
};

/**
 * The event store and the read models. `locked`: the command writes the read models, so it
 * first takes the data directory (refused while a server runs) and may set damaged read models
 * aside; the others refuse damaged read models and may run beside a server.
 */
const openStores = (options: { readonly locked?: boolean } = {}) => {
  const config = loadConfig();
  const lock = options.locked ? lockDataDir(config.dataDir) : undefined;
  const store = openEncryptedEventStore(config);
  const db = openReadModelDatabase(readModelsFile(config.dataDir), {
    ifDamaged: options.locked ? 'set-aside' : 'refuse',
    onSetAside: ({ setAsideAs }) => process.stderr.write(`the read models were damaged: set aside as ${setAsideAs}\n`),
  });
  // Personal values in the read models: sealed and opened with the event store's keys.
  const { sealer, stop: stopOpening } = sealReadModelsOf(db, store.keyStore);
  return { config, store, db, sealer, close: async () => { db.close(); stopOpening(); await store.close(); lock?.release(); } };
};

/**
 * Option values are checked in the actions, not by commander's argument parsers: commander's
 * message for a rejected value repeats it, and no message repeats what was typed.
 */
const instant = (value: string | undefined): string | undefined => {
  if (value !== undefined && !isInstant(value)) program.error('--as-of must be an RFC 3339 time with an offset, e.g. 2024-06-01T12:00:00Z', { exitCode: 2 });
  return value;
};
const revision = (value: string | undefined): number | undefined => {
  const number = Number(value);
  if (value !== undefined && (!/^\d+$/.test(value) || !Number.isSafeInteger(number))) program.error('--at-revision must be a revision: 0 or more', { exitCode: 2 });
  return value === undefined ? undefined : number;
};

/** A progress bar on stderr, so that stdout stays the command's output. */
const progressBar = (format: string) => new SingleBar({ format, hideCursor: true, stream: process.stderr }, Presets.shades_classic);

export const program = new Command('tracker').description('Family reunification tracker: operator and auditor tools').showHelpAfterError();
const projections = program.command('projections').description('read-model projections');

/** Every projection name the commands take: the read models', then the search index's (its own file). */
const PROJECTION_NAMES = [...PROJECTIONS.map((p) => p.name), SEARCH_PROJECTION_NAME];

projections
  .command('rebuild')
  .description('rebuild projections (the read models and the search index) from the start of the event store (stop the server first)')
  .argument('[name]', `one projection: ${PROJECTION_NAMES.join(', ')}; default all`)
  .action(async (name?: string) => {
    const chosen = PROJECTIONS.filter((p) => name === undefined || p.name === name);
    const search = name === undefined || name === SEARCH_PROJECTION_NAME;
    if (chosen.length === 0 && !search) program.error(`unknown projection (known: ${PROJECTION_NAMES.join(', ')})`);
    const { config, store, db, close } = openStores({ locked: true });
    const searchDb = search ? openSearchIndexForWriting(config, { onSetAside: ({ setAsideAs }) => process.stderr.write(`the search index was damaged: set aside as ${setAsideAs}\n`) }) : undefined;
    try {
      const total = Number((await store.headPosition())?.commit ?? 0n) * (chosen.length + (search ? 1 : 0));
      const bar = new SingleBar({ format: 'rebuild |{bar}| {percentage}% | {value}/{total} events | {rate} events/s', hideCursor: true }, Presets.shades_classic);
      const started = performance.now();
      const rate = (done: number) => ({ rate: Math.round((done * 1000) / (performance.now() - started)) });
      bar.start(total, 0, { rate: 0 });
      let applied = chosen.length > 0 ? await rebuildProjections(store, db, chosen, (done) => bar.update(done, rate(done))) : 0;
      if (searchDb) {
        const before = applied;
        applied += await rebuildProjections(store, searchDb, [searchProjectionOf(config)], (done) => bar.update(before + done, rate(before + done)));
      }
      bar.update(applied, rate(applied));
      bar.stop();
      const names = [...chosen.map((p) => p.name), ...(search ? [SEARCH_PROJECTION_NAME] : [])];
      process.stdout.write(`rebuilt ${names.join(', ')}: ${String(applied)} events applied in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    } finally {
      searchDb?.close();
      await close();
    }
  });

projections
  .command('status')
  .description("each projection's version and checkpoint, the search index's too (stop the server first; a running server shows them at /readyz)")
  .action(async () => {
    const { config, store, db, close } = openStores({ locked: true });
    const searchDb = openSearchIndexForWriting(config);
    try {
      const statuses = [...new Projector(store, db, PROJECTIONS).status(), ...new Projector(store, searchDb, [searchProjectionOf(config)]).status()];
      process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    } finally {
      searchDb.close();
      await close();
    }
  });

projections
  .command('check')
  .description('rebuild every projection (the search index too) into a scratch database and compare it with the live read models, row by row')
  .action(async () => {
    const { store, config, sealer, close } = openStores();
    const scratch = mkdtempSync(join(tmpdir(), 'tracker-check-'));
    try {
      const readModels = await checkProjections(store, readModelsFile(config.dataDir), PROJECTIONS, scratch, sealer);
      // The search index holds keyed hashes only, nothing sealed: checked without the sealer.
      // The live index is only attached (read), never opened as the server opens it: under
      // another key that would drop it. An index made under another key differs from the rebuild.
      const searchScratch = join(scratch, SEARCH_PROJECTION_NAME);
      mkdirSync(searchScratch);
      const search = existsSync(searchIndexPath(config))
        ? await checkProjections(store, searchIndexPath(config), [searchProjectionOf(config)], searchScratch)
        : [{ projection: SEARCH_PROJECTION_NAME, ok: false as const, missing: true as const }];
      const results = [...readModels, ...search];
      for (const result of results) {
        if (result.ok) process.stdout.write(`${result.projection}: ok (${String(result.rows)} rows equal a fresh rebuild)\n`);
        else if ('missing' in result) process.stdout.write(`${result.projection}: MISSING (${searchIndexPath(config)}; a server rebuilds it at start)\n`);
        else if ('behind' in result) process.stdout.write(`${result.projection}: live checkpoint ${result.behind.live} differs from the rebuild's ${result.behind.rebuilt} (still catching up? run again)\n`);
        else process.stdout.write(`${result.projection}: DIFFERS in ${result.table}\n  only live:    ${JSON.stringify(result.onlyLive)}\n  only rebuilt: ${JSON.stringify(result.onlyRebuilt)}\n`);
      }
      if (results.some((result) => !result.ok)) process.exitCode = 1;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      await close();
    }
  });

program
  .command('replay')
  .description("print a family's status, blockers and case as the tracker knew it at a time or revision (no personal data)")
  .requiredOption('--family <id>', 'the family id')
  .option('--as-of <time>', 'RFC 3339 time: fold the events recorded by then')
  .option('--at-revision <n>', 'fold the events up to this revision')
  .action(async (options: { family: string; asOf?: string; atRevision?: string }) => {
    const asOf = instant(options.asOf);
    const atRevision = revision(options.atRevision);
    const { store } = openEvents('opened');
    const close = () => store.close();
    const family = await replayFamily(store, options.family, { ...(asOf ? { asOf } : {}), ...(atRevision === undefined ? {} : { atRevision }) });
    await close();
    if (!family) program.error('the family: nothing recorded by then (or no such family)', { exitCode: 2 });
    process.stdout.write(`${JSON.stringify(family, null, 2)}\n`);
  });

program
  .command('verify')
  .description("recompute the hash chains of one family's stream or of every family and organisation stream")
  .option('--family <id>', 'only this family')
  .action(async (options: { family?: string }) => {
    const { store } = openEvents('stored');
    const close = () => store.close();
    const total = options.family ? undefined : Number((await store.headPosition())?.commit ?? 0n);
    const bar = progressBar('verify |{bar}| {percentage}% | {value} events checked');
    if (total !== undefined) bar.start(total, 0);
    const started = performance.now();
    const report = await verifyStreams(store, { ...(options.family ? { familyId: options.family } : {}), onProgress: (events) => total !== undefined && bar.update(Math.min(events, total)) });
    if (total !== undefined) bar.stop();
    await close();
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`verified ${String(report.streams)} stream(s), ${String(report.events)} events in ${seconds.toFixed(1)} s\n`);
    for (const broken of report.broken) process.stdout.write(`BROKEN ${broken.stream}: ${broken.problem} at revision ${String(broken.revision)}\n`);
    process.stdout.write(report.broken.length === 0 ? `all intact; seal ${report.seal}\n` : `${String(report.broken.length)} stream(s) broken; seal of the intact ones ${report.seal}\n`);
    if (report.broken.length > 0 || (options.family && report.events === 0)) process.exitCode = 1;
  });

program
  .command('export')
  .description('write the history of one or every family as JSON lines, redacted unless --include-personal-data with a key that may see it')
  .option('--family <id>', 'only this family')
  .option('--include-personal-data', "show personal data as far as the key's access allows (recorded in the access log)")
  .option('--key <apiKey>', 'the API key to export with (or TRACKER_API_KEY)')
  .option('--out <file>', 'write to this file instead of standard output')
  .action(async (options: { family?: string; includePersonalData?: boolean; key?: string; out?: string }) => {
    const apiKey = options.key ?? process.env['TRACKER_API_KEY'];
    if (options.includePersonalData && !apiKey) program.error('--include-personal-data needs an API key (--key or TRACKER_API_KEY)', { exitCode: 2 });
    const { store, db, close } = openStores();
    const out = options.out ? createWriteStream(options.out) : process.stdout;
    const bar = progressBar('export |{bar}| {value}/{total} families');
    try {
      // Keys and access are read from the read models: never from ones that are not current (read-model-guard.ts).
      await requireCurrentReadModels(store, db, [
        { projection: organizationsProjection, streamPrefix: 'organization-' },
        { projection: familiesProjection, streamPrefix: 'family-' },
      ]);
      let started = false;
      const result = await exportHistory(store, db, {
        ...(options.family ? { familyId: options.family } : {}),
        ...(options.includePersonalData && apiKey ? { apiKey } : {}),
        now: new Date(),
        write: (line) => out.write(`${line}\n`),
        onProgress: (done, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        },
      });
      if (started) bar.stop();
      process.stderr.write(`exported ${String(result.events)} events of ${String(result.families)} families\n`);
    } catch (error) {
      if (error instanceof ExportError) program.error(error.message, { exitCode: 2 });
      if (error instanceof ReadModelsNotCurrent) program.error(`tracker: ${error.message}`, { exitCode: STORAGE_FAILED });
      throw error;
    } finally {
      if (out !== process.stdout) out.end();
      await close();
    }
  });

program
  .command('backup')
  .description('copy the event store, read models and search index into a new directory while the server runs (SQLite online backup), then check each copy')
  .argument('<directory>', 'where to write events.sqlite, read-models.sqlite, search-index.sqlite and manifest.json (must not exist or be empty)')
  .action(async (directory: string) => {
    const config = loadConfig();
    const copies = await backupDataDir({
      readModels: readModelsFile(config.dataDir),
      ...(existsSync(searchIndexPath(config)) ? { searchIndex: searchIndexPath(config) } : {}),
      ...(config.eventStore.kind === 'sqlite' ? { events: config.eventStore.file } : {}),
    }, directory);
    for (const copy of copies) process.stdout.write(`${copy.name}: ${String(copy.bytes)} bytes, integrity_check ${copy.integrity}\n`);
    if (config.eventStore.kind === 'eventstoredb') process.stdout.write('the event store is EventStoreDB: back it up with its own tools\n');
    if (copies.some((copy) => copy.integrity !== 'ok')) process.exitCode = 1;
  });

program
  .command('rotate-master-key')
  .description('re-wrap every data key with a new master key (embedded key store: stop the server first; in EventStoreDB: replicas may run, README "Running on EventStoreDB"); events are not touched')
  .requiredOption('--new-key-file <file>', 'the new master key: 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)')
  .action(async (options: { newKeyFile: string }) => {
    const config = loadConfig();
    if (config.keys.store === 'event-store') {
      const rotation = await rotateEventStoreKeys(config, options.newKeyFile);
      process.stdout.write(`re-wrapped ${String(rotation.rewrapped)} data keys with the new master key (${String(rotation.alreadyNew)} were already)\n`);
      process.stdout.write(
        'running replicas with the old key now record no new person; set TRACKER_MASTER_KEY or TRACKER_MASTER_KEY_FILE to the new key on every replica and restart it, ' +
          'after running this again with the same keys once every replica has logged the rotation (it re-wraps what they made meanwhile)\n',
      );
      return;
    }
    const lock = lockDataDir(config.dataDir);
    try {
      const rotation = rotateMasterKey(config.keys, options.newKeyFile);
      process.stdout.write(`re-wrapped ${String(rotation.rewrapped)} data keys with the new master key\n`);
      process.stdout.write(
        rotation.wroteMasterKeyFile
          ? `the new master key is now ${rotation.wroteMasterKeyFile}: back it up apart from the data, then destroy the old key's copies\n`
          : 'set TRACKER_MASTER_KEY or TRACKER_MASTER_KEY_FILE to the new key before the next start; the old key no longer opens the key store\n',
      );
    } finally {
      lock.release();
    }
  });

/** Exit code when the CLI refuses or fails to use the data directory's storage. */
const STORAGE_FAILED = 3;

/**
 * Damaged files, a data directory in use and any other storage error end the command with a
 * message and exit code 3, never a stack trace; a bad configuration with its message and 2.
 */
const reportFailure = (error: unknown): boolean => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return true;
  }
  if (error instanceof DamagedDatabaseError || error instanceof DamagedReadModelsError || error instanceof DataDirInUseError || error instanceof MasterKeyError || error instanceof KeyStoreLockedError) {
    process.stderr.write(`tracker: ${error.message}\n`);
  } else if (error instanceof Database.SqliteError) {
    const damaged = isDamage(error) ? ' A file there is damaged: restore events.sqlite from a backup, or delete read-models.sqlite (the read models rebuild).' : '';
    process.stderr.write(`tracker: storage error in ${loadConfig().dataDir}: ${error.message} (${error.code}).${damaged}\n`);
  } else {
    return false;
  }
  process.exitCode = STORAGE_FAILED;
  return true;
};

// Parsed when run as the command, not when imported (the tests read every command's help in-process).
const runAsCommand = process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
if (runAsCommand) {
  try {
    await program.parseAsync();
  } catch (error) {
    if (!reportFailure(error)) throw error;
  }
}
