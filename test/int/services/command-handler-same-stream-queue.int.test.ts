import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import type { EventStore } from '../../../services/event-store/port.js';
import type { FamilyCommand } from '../../../services/family/commands.js';
import { executeFamilyCommand } from '../../../services/family/family-service.js';
import { MAX_QUEUED_PER_STREAM } from '../../../services/command-handler.js';
import { DomainError } from '../../../services/shared/domain-error.js';
import { collect } from '../../support/async.js';
import { loadFamilies } from '../../support/family-load.js';
import { makeTempDir } from '../../support/temp-dir.js';

const contactAttempt = (): FamilyCommand => {
  const now = new Date().toISOString();
  return {
    type: 'RecordContactAttempt', familyId: 'load-0000000', relativeId: 'r1', channel: 'PHONE', result: 'NO_ANSWER',
    actor: { userId: 'advocate', organizationId: 'org-a', role: 'ADVOCATE' }, issuedAt: now, occurredAt: now,
  };
};

describe('commands on one stream in one process', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: SqliteEventStore;
  beforeEach(async () => {
    temp = makeTempDir();
    store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
    await loadFamilies(store, 1, 10);
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('run one after another: 20 at once make 20 appends, none lost to the race and decided again', async () => {
    let appends = 0;
    const counting: EventStore = Object.assign(Object.create(store) as EventStore, {
      appendToStream: (...args: Parameters<EventStore['appendToStream']>) => {
        appends += 1;
        return store.appendToStream(...args);
      },
    });
    const before = (await collect(store.readStream('family-load-0000000'))).length;
    const results = await Promise.all(Array.from({ length: 20 }, () => executeFamilyCommand({ store: counting, newEventId }, contactAttempt())));
    expect(new Set(results.map((result) => result.revision)).size).toBe(20);
    expect(appends).toBe(20);
    expect((await collect(store.readStream('family-load-0000000'))).length).toBe(before + 20);
  });

  it(`are bounded: past ${String(MAX_QUEUED_PER_STREAM)} at once the rest are UNAVAILABLE at once and append nothing; the queue takes commands again once drained`, async () => {
    const before = (await collect(store.readStream('family-load-0000000'))).length;
    const extra = 10;
    const outcomes = await Promise.allSettled(
      Array.from({ length: MAX_QUEUED_PER_STREAM + extra }, () => executeFamilyCommand({ store, newEventId }, contactAttempt())),
    );
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(MAX_QUEUED_PER_STREAM);
    expect(refused).toHaveLength(extra);
    for (const error of refused) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    }
    expect((await collect(store.readStream('family-load-0000000'))).length).toBe(before + MAX_QUEUED_PER_STREAM);
    await expect(executeFamilyCommand({ store, newEventId }, contactAttempt())).resolves.toMatchObject({ replayed: false });
  });
});
