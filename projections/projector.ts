import type Database from 'better-sqlite3';
import type { EventStore, RecordedEvent } from '../services/event-store/port.js';
import { comparePositions, formatPosition, type Position } from '../services/event-store/position.js';
import { Signal } from '../services/shared/signal.js';
import { physicalTable, type BoundProjection, type Projection } from './projection.js';
import { prepareKeysForBatch } from './read-model-sealing.js';

/** Events per batch while following the store. */
const BATCH_SIZE = 1_000;
/**
 * Events per batch while catching up (start-up, a rebuild): a projection that folds per family
 * (families) writes each family once per batch, so larger batches write each family less often
 * when many families interleave (a real-shaped store of 100,009 events: 4,757 family writes in
 * batches of 20,000, 12,052 in batches of 5,000; docs/BENCHMARKS.md). Each batch is read into memory once for all
 * projections at its position. Limit: the event loop is busy while the projections at one
 * position apply one batch (a second or two per projection on this machine).
 */
const CATCH_UP_BATCH_SIZE = 20_000;
const POLL_MS = 500;

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly position: string | null;
  readonly eventsApplied: number;
  readonly caughtUp: boolean;
  /** Building a new version into fresh tables; the previous version still serves reads. */
  readonly rebuilding: boolean;
  readonly stalled: { readonly afterPosition: string | null; readonly error: string } | null;
}

/**
 * Why a projection may not answer questions of access: the store's head at start is not read
 * yet, the projection has not passed it, it is building a new version (the previous version's
 * tables no longer follow the store), or it stalled.
 */
export type NotServingReason = 'STARTING' | 'CATCHING_UP' | 'REBUILDING' | 'STALLED';
export interface NotServing { readonly projection: string; readonly reason: NotServingReason; readonly detail: string }

interface Runner {
  readonly projection: Projection;
  readonly bound: BoundProjection;
  position: Position | undefined;
  eventsApplied: number;
  caughtUp: boolean;
  rebuilding: boolean;
  stalled: { afterPosition: string | null; error: string } | null;
  /** It has passed the store's head as it stood at start (never false again once true). */
  passedStartHead: boolean;
  readonly saveCheckpoint: (position: Position, count: number) => void;
  /** Steps of one projection run one at a time. */
  queue: Promise<unknown>;
}

/**
 * Runs every projection from its own checkpoint: catch up in batches, then follow live
 * ("notify, then pull": a subscription only says that $all advanced; each projection pulls
 * its next batch). One transaction per batch holds the rows and the checkpoint. A projection
 * that throws stops at that batch and reports it; the others go on.
 */
export class Projector {
  private readonly runners: Runner[];
  private readonly appended = new Signal();
  /** How many times `appended` was notified: a read that began before a notification may miss what it announced. */
  private appendedCount = 0;
  private readonly progressed = new Signal();
  /** Per projection: it applied a batch (subscribers of one read model wake only for it). */
  private readonly advanced = new Map<string, Signal>();
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private wakeSubscription: { stop(): Promise<void> } | undefined;
  /** The store's head when catching up began (`position` undefined: an empty store); undefined until read. */
  private startHead: { readonly position: Position | undefined } | undefined;
  private checkedAgainstHead = false;
  private sharedBatch: { readonly key: string; readonly batch: Promise<RecordedEvent[]>; readonly appendedCount: number } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly db: Database.Database,
    projections: readonly Projection[],
    private readonly onBatch?: (name: string, applied: number) => void,
    /** Told when a projection's checkpoint is beyond the store's head and it rebuilds (to log it). */
    private readonly onCheckpointAhead?: (name: string, checkpoint: string, head: string | null) => void,
  ) {
    this.runners = projections.map((projection) => this.prepare(projection));
  }

  /** Starts catching up (all projections together), then following; resolves at once. */
  start(): void {
    this.loops.push(this.catchUp().then(() => Promise.all(this.runners.map((runner) => this.run(runner))).then(() => undefined)));
    void this.followAppends();
  }

  /**
   * Catches every projection up to the current end of the store, then returns. Projections at
   * the same position (all of them, in a rebuild) share each batch read: the store is read once.
   */
  async catchUp(): Promise<void> {
    if (!this.checkedAgainstHead) {
      this.checkedAgainstHead = true;
      const head = await this.store.headPosition();
      this.startHead = { position: head };
      this.restartCheckpointsAhead(head);
    }
    const done = new Set<Runner>();
    for (;;) {
      const pending = this.runners.filter((r) => !r.stalled && !done.has(r) && !this.stopped);
      if (pending.length === 0) return;
      const groups = new Map<string, Runner[]>();
      for (const runner of pending) {
        const key = runner.position ? formatPosition(runner.position) : '';
        groups.set(key, [...(groups.get(key) ?? []), runner]);
      }
      for (const group of groups.values()) {
        const batch = await this.readBatch(group[0]?.position, CATCH_UP_BATCH_SIZE);
        for (const runner of group) {
          if (batch.length === 0) this.markCaughtUp(runner);
          else this.apply(runner, batch, CATCH_UP_BATCH_SIZE);
          if (batch.length < CATCH_UP_BATCH_SIZE || runner.stalled) done.add(runner);
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.appended.notify();
    await this.wakeSubscription?.stop();
    await Promise.all(this.loops);
  }

  status(): ProjectionStatus[] {
    return this.runners.map((r) => ({
      name: r.projection.name,
      version: r.projection.version,
      position: r.position ? formatPosition(r.position) : null,
      eventsApplied: r.eventsApplied,
      caughtUp: r.caughtUp,
      rebuilding: r.rebuilding,
      stalled: r.stalled,
    }));
  }

  ready(): boolean {
    return this.runners.every((r) => r.caughtUp && !r.stalled && !r.rebuilding);
  }

  /**
   * The projections (all, or the named ones) that may not answer questions of access now, and
   * why; empty when all may. Fail-closed rule for readers of authentication and visibility:
   * serve only from a projection that has passed the store's head as it stood at start, is not
   * building a new version and has not stalled. After start, such a projection lags the store
   * only by what was appended since (read-your-writes waits cover a caller's own writes).
   */
  notServing(names?: readonly string[]): NotServing[] {
    return this.named(names).flatMap((r): NotServing[] => {
      const projection = r.projection.name;
      const at = r.position ? formatPosition(r.position) : 'the start';
      if (r.stalled) return [{ projection, reason: 'STALLED', detail: `stalled after position ${r.stalled.afterPosition ?? 'the start'}: ${r.stalled.error}` }];
      if (r.rebuilding) return [{ projection, reason: 'REBUILDING', detail: `building version ${String(r.projection.version)}, at ${at}` }];
      if (!this.startHead) return [{ projection, reason: 'STARTING', detail: "the event store's head is not read yet" }];
      if (!r.passedStartHead) {
        const head = this.startHead.position ? formatPosition(this.startHead.position) : 'the start';
        return [{ projection, reason: 'CATCHING_UP', detail: `at ${at}, the event store's head at start was ${head}` }];
      }
      return [];
    });
  }

  private named(names: readonly string[] | undefined): Runner[] {
    if (!names) return this.runners;
    const unknown = names.filter((name) => !this.runners.some((r) => r.projection.name === name));
    if (unknown.length > 0) throw new Error(`no projection named ${unknown.join(', ')}`);
    return this.runners.filter((r) => names.includes(r.projection.name));
  }

  /**
   * Resolves when any projection (or the named one) applied a batch, or after `timeoutMs`:
   * "notify, then pull" for subscribers, who then read what they need from the read models (no
   * queue per subscriber).
   */
  waitForProgress(timeoutMs: number, projectionName?: string): Promise<void> {
    return projectionName === undefined ? this.progressed.wait(timeoutMs) : this.advancedSignal(projectionName).wait(timeoutMs);
  }

  private advancedSignal(name: string): Signal {
    let signal = this.advanced.get(name);
    if (!signal) {
      signal = new Signal();
      this.advanced.set(name, signal);
    }
    return signal;
  }

  /**
   * Read-your-writes: resolves true once every projection (or the named ones) has passed
   * `position`, false on timeout or a stall.
   */
  async waitFor(position: Position, timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const runners = this.named(names);
    for (;;) {
      if (runners.some((r) => r.stalled)) return false;
      if (runners.every((r) => r.position && comparePositions(r.position, position) >= 0)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      this.notifyAppended();
      await this.progressed.wait(Math.min(left, 50));
    }
  }

  private async run(runner: Runner): Promise<void> {
    while (!this.stopped && !runner.stalled) {
      const seen = this.appendedCount;
      const applied = await this.step(runner);
      // Told of an append while this step ran: read again at once (its read may have begun before it).
      if (applied === 0 && this.appendedCount === seen) await this.appended.wait(POLL_MS);
    }
  }

  /** Applies the next batch; returns how many events it applied. Never two at once per projection. */
  private step(runner: Runner): Promise<number> {
    const next = runner.queue.then(() => this.stepNow(runner));
    runner.queue = next.catch(() => undefined);
    return next;
  }

  private async stepNow(runner: Runner): Promise<number> {
    if (runner.stalled) return 0;
    const batch = await this.readBatch(runner.position, BATCH_SIZE);
    if (batch.length === 0) {
      this.markCaughtUp(runner);
      return 0;
    }
    return this.apply(runner, batch, BATCH_SIZE);
  }

  /**
   * Projections at the same position read the same batch once (following the store, each
   * would otherwise read and decode every new event itself). Only a non-empty batch is shared:
   * an older copy is still a correct prefix (events never change), while an empty one could
   * hide events appended since and leave a projection waiting for the next wake-up. A pending
   * read is joined only while no append was announced since it began (else it may come back
   * empty without that append); a projection whose own read came back empty while an append was
   * announced reads again at once instead of waiting a poll (`run`).
   */
  private readBatch(after: Position | undefined, maxCount: number): Promise<RecordedEvent[]> {
    const key = `${after ? formatPosition(after) : ''}/${String(maxCount)}`;
    if (this.sharedBatch?.key === key && this.sharedBatch.appendedCount === this.appendedCount) return this.sharedBatch.batch;
    const batch = this.readBatchNow(after, maxCount);
    this.sharedBatch = { key, batch, appendedCount: this.appendedCount };
    void batch.then(
      (events) => { if (events.length === 0 && this.sharedBatch?.batch === batch) this.sharedBatch = undefined; },
      () => { if (this.sharedBatch?.batch === batch) this.sharedBatch = undefined; },
    );
    return batch;
  }

  private async readBatchNow(after: Position | undefined, maxCount: number): Promise<RecordedEvent[]> {
    const batch: RecordedEvent[] = [];
    for await (const event of this.store.readAll({ ...(after ? { after } : {}), maxCount })) batch.push(event);
    // A key store whose synchronous keys are memory only gets the batch's keys in first (read-model-sealing.ts).
    await prepareKeysForBatch(this.db, batch);
    return batch;
  }

  /** One batch (of at most `maxCount`), one transaction: the rows and the checkpoint. Returns the events applied (0 on a stall). */
  private apply(runner: Runner, batch: readonly RecordedEvent[], maxCount: number): number {
    const last = batch.at(-1);
    if (!last) return 0;
    try {
      this.db.transaction(() => {
        runner.bound.applyBatch(batch);
        runner.saveCheckpoint(last.position, batch.length);
      }).immediate();
    } catch (error) {
      runner.bound.discard?.();
      runner.stalled = { afterPosition: runner.position ? formatPosition(runner.position) : null, error: error instanceof Error ? error.message : String(error) };
      this.progressed.notify();
      return 0;
    }
    runner.position = last.position;
    runner.eventsApplied += batch.length;
    if (this.startHead?.position && comparePositions(last.position, this.startHead.position) >= 0) runner.passedStartHead = true;
    runner.caughtUp = batch.length < maxCount && !runner.rebuilding;
    if (batch.length < maxCount) this.markCaughtUp(runner);
    this.onBatch?.(runner.projection.name, batch.length);
    this.progressed.notify();
    this.advanced.get(runner.projection.name)?.notify();
    return batch.length;
  }

  /**
   * A checkpoint beyond the store's last event means the store is older than the read models
   * (an older events.sqlite restored from a backup): the projection's rows describe events the
   * store no longer has, and it would skip new events up to its checkpoint. Its rows are emptied
   * and it rebuilds from the start. Checked once, before the first batch (no batch can run
   * between reading the head and comparing with it). Limit: a store that was written past the
   * checkpoint after the restore, before this start, is not recognised.
   */
  private restartCheckpointsAhead(head: Position | undefined): void {
    for (const runner of this.runners) {
      if (!runner.position || (head && comparePositions(runner.position, head) <= 0)) continue;
      const { projection } = runner;
      this.onCheckpointAhead?.(projection.name, formatPosition(runner.position), head ? formatPosition(head) : null);
      this.db.transaction(() => {
        for (const base of Object.keys(projection.tables)) this.db.exec(`DELETE FROM ${physicalTable(base, projection.version)}`);
        this.db.prepare('UPDATE projection_checkpoints SET position_commit = NULL, position_prepare = NULL, events_applied = 0 WHERE name = ? AND version = ?').run(projection.name, projection.version);
      }).immediate();
      runner.bound.discard?.();
      runner.position = undefined;
      runner.eventsApplied = 0;
    }
  }

  private markCaughtUp(runner: Runner): void {
    if (runner.rebuilding) this.switchToNewVersion(runner);
    runner.caughtUp = true;
    // Reached the end of the store, read after the head at start was: it has passed that head
    // (on EventStoreDB the head may be a system event, which no projection sees).
    if (this.startHead) runner.passedStartHead = true;
    this.progressed.notify();
  }

  private notifyAppended(): void {
    this.appendedCount += 1;
    this.appended.notify();
  }

  private async followAppends(): Promise<void> {
    while (!this.stopped && !this.runners.every((r) => r.caughtUp || r.stalled)) await this.progressed.wait(100);
    if (this.stopped) return;
    const heads = this.runners.flatMap((r) => (r.position ? [r.position] : [])).sort(comparePositions);
    const head = heads.at(-1);
    const subscription = this.store.subscribeToAll(head ? { after: head } : {});
    this.wakeSubscription = subscription;
    try {
      for await (const item of subscription) {
        if (this.stopped) break;
        if (item.kind === 'event') this.notifyAppended();
      }
    } catch {
      // Polling (POLL_MS) still picks up new events if the wake-up subscription fails.
    }
  }

  private prepare(projection: Projection): Runner {
    const table = (base: string): string => physicalTable(base, projection.version);
    for (const [base, columns] of Object.entries(projection.tables)) {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table(base)} (${columns})`);
    }
    for (const index of projection.indexes) {
      this.db.exec(index.replace(/\{(\w+)\}/g, (_m, base: string) => table(base)));
    }
    const checkpoints = this.db.prepare('SELECT version, position_commit, position_prepare, events_applied, active FROM projection_checkpoints WHERE name = ?').safeIntegers(true);
    const rows = checkpoints.all(projection.name) as Array<{ version: bigint; position_commit: bigint | null; position_prepare: bigint | null; events_applied: bigint; active: bigint }>;
    const active = rows.find((row) => row.active === 1n);
    let own = rows.find((row) => Number(row.version) === projection.version);
    if (!own) {
      this.db.prepare('INSERT INTO projection_checkpoints (name, version, active) VALUES (?, ?, 0)').run(projection.name, projection.version);
      own = { version: BigInt(projection.version), position_commit: null, position_prepare: null, events_applied: 0n, active: 0n };
    }
    const rebuilding = active !== undefined && Number(active.version) !== projection.version;
    if (!active) this.pointViewsAt(projection);
    const save = this.db.prepare(
      'UPDATE projection_checkpoints SET position_commit = ?, position_prepare = ?, events_applied = events_applied + ? WHERE name = ? AND version = ?',
    );
    return {
      projection,
      bound: projection.bind(this.db, table),
      position: own.position_commit === null || own.position_prepare === null ? undefined : { commit: own.position_commit, prepare: own.position_prepare },
      eventsApplied: Number(own.events_applied),
      caughtUp: false,
      rebuilding,
      stalled: null,
      passedStartHead: false,
      saveCheckpoint: (position, count) => save.run(position.commit, position.prepare, count, projection.name, projection.version),
      queue: Promise.resolve(),
    };
  }

  /** Views named after the base tables point at this version's tables; it becomes the active one. */
  private pointViewsAt(projection: Projection): void {
    this.db.transaction(() => {
      for (const base of Object.keys(projection.tables)) {
        this.db.exec(`DROP VIEW IF EXISTS ${base}`);
        this.db.exec(`CREATE VIEW ${base} AS SELECT * FROM ${physicalTable(base, projection.version)}`);
      }
      this.db.prepare('UPDATE projection_checkpoints SET active = (version = ?) WHERE name = ?').run(projection.version, projection.name);
    }).immediate();
  }

  /** A rebuilt version has caught up: switch the views to it and drop the old version's tables. */
  private switchToNewVersion(runner: Runner): void {
    const { projection } = runner;
    const old = this.db.prepare('SELECT version FROM projection_checkpoints WHERE name = ? AND version <> ?').all(projection.name, projection.version) as Array<{ version: number }>;
    this.pointViewsAt(projection);
    this.db.transaction(() => {
      for (const { version } of old) {
        for (const base of Object.keys(projection.tables)) this.db.exec(`DROP TABLE IF EXISTS ${physicalTable(base, version)}`);
      }
      this.db.prepare('DELETE FROM projection_checkpoints WHERE name = ? AND version <> ?').run(projection.name, projection.version);
    }).immediate();
    runner.rebuilding = false;
  }
}
