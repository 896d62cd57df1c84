import type Database from 'better-sqlite3';
import type { GraphQLError } from 'graphql';
import { accessLogProjection } from '../../projections/access-log/access-log-projection.js';
import { casefileProjection } from '../../projections/casefile/casefile-projection.js';
import { familiesProjection } from '../../projections/families/families-projection.js';
import { organizationsProjection } from '../../projections/organizations/organizations-projection.js';
import type { Projector } from '../../projections/projector.js';
import { StatementCache } from '../../projections/statement-cache.js';
import { unavailable } from '../../schema/errors.js';

/**
 * The projections that authentication (keys, organisations) and visibility (family access) read,
 * and the case file, whose facts and filters every family answer may carry (mutations wait for it
 * too): while a new version of it builds or it stalls, the API answers 503 rather than errors or
 * facts missing from a family.
 */
export const ACCESS_PROJECTIONS: readonly string[] = [organizationsProjection.name, familiesProjection.name, casefileProjection.name];

/** Seconds a client is told to wait: a stall needs an operator, catching up takes moments. */
const RETRY_AFTER_STALLED_S = 30;
const RETRY_AFTER_CATCHING_UP_S = 1;

/** UNAVAILABLE while any of these projections may not answer (stalled, behind the start-up head, rebuilding); else undefined. */
export const projectionsUnavailable = (projector: Projector, names: readonly string[]) => (): GraphQLError | undefined => {
  const notServing = projector.notServing(names);
  if (notServing.length === 0) return undefined;
  return unavailable(notServing.some((n) => n.reason === 'STALLED') ? RETRY_AFTER_STALLED_S : RETRY_AFTER_CATCHING_UP_S);
};

/** UNAVAILABLE while any access projection may not answer; else undefined. */
export const accessReadModelsUnavailable = (projector: Projector) => projectionsUnavailable(projector, ACCESS_PROJECTIONS);

/**
 * UNAVAILABLE while the access log's projection (or an access projection) may not answer: the
 * reads of who viewed a family are never answered from a log that stopped, as if complete. Only
 * those reads: a stalled access log does not stop the rest of the API (its appends go on).
 */
export const accessLogUnavailable = (projector: Projector) => projectionsUnavailable(projector, [...ACCESS_PROJECTIONS, accessLogProjection.name]);

/** UNAVAILABLE while any projection of this projector may not answer (the search index's, which has a projector of its own). */
export const projectorUnavailable = (projector: Projector) => (): GraphQLError | undefined => {
  const notServing = projector.notServing();
  if (notServing.length === 0) return undefined;
  return unavailable(notServing.some((n) => n.reason === 'STALLED') ? RETRY_AFTER_STALLED_S : RETRY_AFTER_CATCHING_UP_S);
};

/**
 * The statements of the read models, refused (UNAVAILABLE) while they may not answer. Every
 * reader in the server goes through it: requests, subscriptions that run on after their
 * request began, WebSocket authentication, the webhook dispatcher. So nothing is ever answered
 * from a stalled projection or one still behind the store's head at start, whichever path asks.
 */
export class GuardedStatementCache extends StatementCache {
  constructor(db: Database.Database, private readonly unavailableNow: () => GraphQLError | undefined) {
    super(db);
  }

  override get(sql: string): Database.Statement {
    const refusal = this.unavailableNow();
    if (refusal) throw refusal;
    return super.get(sql);
  }
}

/**
 * Runs a reader of the read models (the webhook dispatcher) only while they may answer: started
 * once the access projections have passed the store's head at start, stopped when one stalls
 * (a stall lasts until the server restarts). `stop` is for shutdown.
 */
export const runWhileServing = (projector: Projector, worker: { start(): void; stop(): Promise<void> }): { stop: () => Promise<void> } => {
  let stopping = false;
  const serving = (): boolean => projector.notServing(ACCESS_PROJECTIONS).length === 0;
  const loop = (async () => {
    while (!stopping && !serving()) await projector.waitForProgress(WAKE_MS);
    if (stopping) return;
    worker.start();
    while (!stopping && serving()) await projector.waitForProgress(WAKE_MS);
    await worker.stop();
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
};

/** A stall or a batch wakes the supervisor at once; this is the fallback. */
const WAKE_MS = 250;
