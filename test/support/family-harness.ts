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
import type { Programme } from '../../services/family/vocabulary.js';
import { executeOrganizationCommand } from '../../services/organization/organization-service.js';
import type { Actor } from '../../services/shared/decider.js';
import { collect } from './async.js';
import { makeTempDir } from './temp-dir.js';

const SYSTEM_ADMIN: Actor = { userId: 'admin', organizationId: 'system', role: 'ADMIN' };

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
    /** Registers organisations, as the system administrator would: family commands may name only these. */
    organizations: async (...organizationIds: string[]): Promise<void> => {
      for (const organizationId of organizationIds) {
        await executeOrganizationCommand(dependencies, { type: 'RegisterOrganization', organizationId, name: organizationId, kind: 'LEGAL_SERVICE_PROVIDER', countries: [], actor: SYSTEM_ADMIN, issuedAt: new Date().toISOString() });
      }
    },
    /** Records a funder's stop-work order over one programme of an organisation (docs/STOP-WORK.md). */
    stopWork: (organizationId: string, orderId: string, programme: Programme) =>
      executeOrganizationCommand(dependencies, { type: 'RecordStopWorkOrder', organizationId, orderId, programme, reason: "funder's stop-work order", actor: SYSTEM_ADMIN, issuedAt: new Date().toISOString() }),
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
