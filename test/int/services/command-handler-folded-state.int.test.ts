import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { forgetFoldedStates, type HandlerDependencies } from '../../../services/command-handler.js';
import type { EventStore, ReadStreamOptions } from '../../../services/event-store/port.js';
import { familyStreamName } from '../../../services/family/family-decider.js';
import { executeFamilyCommand } from '../../../services/family/family-service.js';
import { DomainError } from '../../../services/shared/domain-error.js';
import { verifyHashChain } from '../../../services/verify-hash-chain.js';
import { collect } from '../../support/async.js';
import { command, country, date } from '../../support/family-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** The store, counting the events its stream reads hand out. */
const countingReads = (store: EventStore): { store: EventStore; eventsRead: () => number } => {
  let read = 0;
  const counted: EventStore = Object.assign(Object.create(store) as EventStore, {
    readStream: async function* (stream: string, options?: ReadStreamOptions) {
      for await (const event of store.readStream(stream, options)) {
        read += 1;
        yield event;
      }
    },
  });
  return { store: counted, eventsRead: () => read };
};

describe('command handler: folded state cached by stream revision', () => {
  const familyId = 'fam-long';
  const stream = familyStreamName(familyId);
  const register = (childId: string) =>
    command('RegisterChild', { familyId, childId, givenName: 'Ana', birthDate: date('2010-01-01'), birthDateEstimated: false, nationality: country('GT'), languages: ['es'], needsInterpreter: false });
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  let raw: SqliteEventStore;

  beforeEach(() => {
    temp = makeTempDir('tracker-folded-');
    file = join(temp.dir, 'events.sqlite');
    raw = SqliteEventStore.open(file);
  });
  afterEach(async () => {
    await raw.close();
    temp.remove();
  });

  it('a command on a long stream reads only the events after the cached revision, not the whole stream', async () => {
    const { store, eventsRead } = countingReads(raw);
    const dependencies: HandlerDependencies = { store, newEventId };
    await executeFamilyCommand(dependencies, command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SIJ' }));
    for (let i = 0; i < 60; i += 1) await executeFamilyCommand(dependencies, register(`c${String(i)}`));
    const before = eventsRead();
    const result = await executeFamilyCommand(dependencies, register('c-last'));
    const events = await collect(raw.readStream(stream));
    expect(result.revision).toBe(events.length - 1);
    expect(eventsRead() - before).toBe(0); // the whole stream would be more than 61 events
    expect(verifyHashChain(stream, events).ok).toBe(true);
    // Forgotten (as after an erasure): the next command folds the whole stream again.
    forgetFoldedStates(store);
    const afterForgetting = eventsRead();
    await executeFamilyCommand(dependencies, register('c-after'));
    expect(eventsRead() - afterForgetting).toBe(events.length);
  });

  it("another writer's events (another process) are folded in before deciding: no conflict, no stale decision", async () => {
    const dependencies: HandlerDependencies = { store: raw, newEventId };
    await executeFamilyCommand(dependencies, command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SIJ' }));
    await executeFamilyCommand(dependencies, register('c1')); // cached at revision 1

    const other = SqliteEventStore.open(file); // another connection stands in for another process
    await executeFamilyCommand({ store: other, newEventId }, register('c2'));
    await other.close();

    // The cached fold does not know c2: a duplicate registration must still be refused...
    const duplicate = await executeFamilyCommand(dependencies, register('c2')).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(DomainError);
    // ...and the next command lands after the other writer's event, with an intact chain.
    const next = await executeFamilyCommand(dependencies, register('c3'));
    const events = await collect(raw.readStream(stream));
    expect(next.revision).toBe(events.length - 1);
    expect(events.filter((event) => event.type === 'ChildRegistered')).toHaveLength(3);
    expect(verifyHashChain(stream, events).ok).toBe(true);
  });

  it('a command id applied by another process is answered as a repeat, even with the cache warm', async () => {
    const dependencies: HandlerDependencies = { store: raw, newEventId };
    await executeFamilyCommand(dependencies, command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SIJ' }));
    const other = SqliteEventStore.open(file);
    const first = await executeFamilyCommand({ store: other, newEventId }, register('c1'), { commandId: 'cmd-elsewhere' });
    await other.close();
    const stored = (await collect(raw.readStream(stream))).length;
    const again = await executeFamilyCommand(dependencies, register('c1'), { commandId: 'cmd-elsewhere' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await collect(raw.readStream(stream))).toHaveLength(stored);
  });

  it('concurrent commands on one stream from a warm cache all land, in contiguous revisions', async () => {
    const dependencies: HandlerDependencies = { store: raw, newEventId };
    await executeFamilyCommand(dependencies, command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SIJ' }));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => executeFamilyCommand(dependencies, register(`k${String(i)}`))));
    expect(new Set(results.map((r) => r.revision)).size).toBe(20);
    const events = await collect(raw.readStream(stream));
    expect(events.filter((event) => event.type === 'ChildRegistered')).toHaveLength(20);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(verifyHashChain(stream, events).ok).toBe(true);
  });
});
