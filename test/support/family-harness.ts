import { join } from 'node:path';
import { newEventId } from '../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../infra/event-store/sqlite/sqlite-event-store.js';
import type { HandlerDependencies } from '../../services/command-handler.js';
import type { FamilyCommand } from '../../services/family/commands.js';
import type { FamilyEvent } from '../../services/family/events.js';
import { evolve } from '../../services/family/evolve.js';
import { familyStreamName } from '../../services/family/family-decider.js';
import { executeFamilyCommand, type FamilyCommandOptions } from '../../services/family/family-service.js';
import { initialFamilyState, type FamilyState } from '../../services/family/state.js';
import { collect } from './async.js';
import { makeTempDir } from './temp-dir.js';

/** The command handler on a real SQLite file, for int tests and scenarios. */
export const openFamilyHarness = () => {
  const temp = makeTempDir('tracker-family-');
  const file = join(temp.dir, 'events.sqlite');
  const store = SqliteEventStore.open(file);
  const dependencies: HandlerDependencies = { store, newEventId };
  return {
    store,
    file,
    dependencies,
    execute: (command: FamilyCommand, options?: FamilyCommandOptions) => executeFamilyCommand(dependencies, command, options),
    events: (familyId: string) => collect(store.readStream(familyStreamName(familyId))),
    state: async (familyId: string): Promise<FamilyState> =>
      (await collect(store.readStream(familyStreamName(familyId)))).reduce(
        (state, stored) => evolve(state, { type: stored.type, data: stored.data } as FamilyEvent),
        initialFamilyState,
      ),
    close: async () => {
      await store.close();
      temp.remove();
    },
  };
};

export type FamilyHarness = ReturnType<typeof openFamilyHarness>;
