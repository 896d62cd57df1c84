import type Database from 'better-sqlite3';

/** Appends per transaction at most; a longer queue is committed in several transactions. */
export const MAX_GROUP_APPENDS = 512;
/** Events per transaction at most (one large append still goes alone, whatever its size). */
export const MAX_GROUP_EVENTS = 10_000;

interface Pending<Job, Result> {
  readonly job: Job;
  readonly size: number;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: Error) => void;
}

type Outcome<Result> = { readonly ok: true; readonly value: Result } | { readonly ok: false; readonly error: Error };

export interface GroupCommitStats {
  /** Transactions committed (one fsync each). */
  readonly commits: number;
  /** Jobs acknowledged or rejected by those transactions. */
  readonly jobs: number;
  /** The largest number of jobs one transaction carried. */
  readonly largestGroup: number;
  /** Syncs of the write-ahead log run off the event loop (0 without a `Durability`). */
  readonly syncs: number;
}

/**
 * What makes a committed transaction durable, when the connection commits without syncing
 * (`synchronous=NORMAL`): `sync` flushes everything written so far to disk without blocking the
 * event loop (an fdatasync of the write-ahead log on libuv's thread pool), so requests go on
 * being decided, and form the next group, while the disk works. `beforeGroup` runs just before
 * each group's transaction and `afterGroup` just after it committed (the store tracks which
 * positions are not durable yet with them).
 */
export interface Durability {
  readonly beforeGroup: () => void;
  readonly afterGroup: () => void;
  readonly sync: () => Promise<void>;
}

/**
 * Told around each group's transaction, whatever the durability: `beforeGroup` just before its
 * `BEGIN IMMEDIATE`, `committed` synchronously once its COMMIT returned (still holding no lock,
 * before any other job runs); neither when the transaction failed as a whole.
 */
export interface GroupObserver {
  readonly beforeGroup: () => void;
  readonly committed: () => void;
}

/** A sync failed: nothing is known to be durable after it, so the store takes no more writes. */
export class DurabilityLostError extends Error {
  override readonly name = 'DurabilityLostError';
  constructor(override readonly cause: Error) {
    super(`The event store could not make its writes durable (${cause.message}); it accepts no more appends until restarted`);
  }
}

/**
 * Group commit over one better-sqlite3 connection. Jobs queued before the event loop's next
 * check phase (`setImmediate`: every I/O callback of the current turn has run by then, so
 * requests that arrived together are queued together) run in ONE `BEGIN IMMEDIATE`
 * transaction, each inside its own savepoint: a job that throws is rolled back alone and
 * rejected alone, the others go on. No job's promise settles before the group is durable:
 * without a `Durability`, the COMMIT itself is the fsync (`synchronous=FULL`, on the event-loop
 * thread); with one, the COMMIT only writes, and the group settles after the next `sync` that
 * began after its COMMIT returned (one sync covers every group committed before it began, so
 * groups that commit while a sync runs share the next one). Should the COMMIT fail, or SQLite
 * abort the whole transaction (disk full, I/O error), every job of the group is rejected with
 * that error and none was written. Should a sync fail, every job it covered is rejected, and so
 * is every later job (`DurabilityLostError`): after a failed fsync the kernel may have dropped
 * the pages, so nothing more is acknowledged by this connection.
 *
 * Limit: better-sqlite3 commits on the event-loop thread, so "while a commit is in flight" means
 * while the loop is busy with it (the write, and with `Durability` not the fsync); what arrives
 * meanwhile waits in the kernel's socket buffers and forms the next group.
 */
export class GroupCommitter<Job, Result> {
  private queue: Array<Pending<Job, Result>> = [];
  private scheduled = false;
  private readonly transaction;
  private counters = { commits: 0, jobs: 0, largestGroup: 0, syncs: 0 };
  /** Groups committed and waiting for a sync that began after their COMMIT. */
  private awaitingSync: Array<(failure?: Error) => void> = [];
  private syncing: Promise<void> | undefined;
  private lost: DurabilityLostError | undefined;

  constructor(
    private readonly db: Database.Database,
    runJob: (job: Job) => Result,
    /** Told once jobs are durable, before their promises settle (subscribers may read them now). */
    private readonly onDurable: () => void,
    private readonly durability?: Durability,
    private readonly observer?: GroupObserver,
  ) {
    this.transaction = db.transaction((group: ReadonlyArray<Pending<Job, Result>>): Array<Outcome<Result>> =>
      group.map((pending) => {
        // A nested db.transaction runs in a SAVEPOINT and rolls back to it when the job throws.
        try {
          return { ok: true, value: savepoint(pending.job) };
        } catch (error) {
          // SQLite aborted the whole transaction (not just the savepoint): nothing of the group
          // stands, and whatever ran next would commit on its own. Fail the group.
          if (!db.inTransaction) throw error;
          return { ok: false, error: asError(error) };
        }
      }),
    );
    const savepoint = db.transaction(runJob);
  }

  /** Queues a job; it settles once the transaction that carries it is durable (or failed). */
  submit(job: Job, size: number): Promise<Result> {
    if (this.lost) return Promise.reject(this.lost);
    return new Promise((resolve, reject) => {
      this.queue.push({ job, size, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // The disk is idle: commit once the current job's code has run (this turn's other
        // callbacks queue behind it and form the next group while its sync runs, so deciding
        // and syncing overlap). A sync in flight: gather the turn's jobs into one group.
        if (this.durability && !this.syncing) queueMicrotask(() => this.flush());
        else setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now, synchronously; their syncs may still be running. */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) this.commitGroup(this.takeGroup());
  }

  /** Commits everything queued and waits until it is durable (at close). */
  async drain(): Promise<void> {
    this.flush();
    while (this.syncing) await this.syncing;
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  /** False once a sync failed: every append is refused from then on (DurabilityLostError). */
  acceptsJobs(): boolean {
    return this.lost === undefined;
  }

  private takeGroup(): Array<Pending<Job, Result>> {
    let events = 0;
    let count = 0;
    for (const pending of this.queue) {
      if (count > 0 && (count >= MAX_GROUP_APPENDS || events + pending.size > MAX_GROUP_EVENTS)) break;
      events += pending.size;
      count += 1;
    }
    const group = this.queue.slice(0, count);
    this.queue = this.queue.slice(count);
    return group;
  }

  private commitGroup(group: Array<Pending<Job, Result>>): void {
    if (this.lost) {
      for (const pending of group) pending.reject(this.lost);
      return;
    }
    let outcomes: Array<Outcome<Result>>;
    try {
      this.observer?.beforeGroup();
      this.durability?.beforeGroup();
      outcomes = this.transaction.immediate(group);
    } catch (error) {
      for (const pending of group) pending.reject(asError(error));
      return;
    }
    this.observer?.committed();
    this.durability?.afterGroup();
    this.counters = {
      ...this.counters,
      commits: this.counters.commits + 1,
      jobs: this.counters.jobs + group.length,
      largestGroup: Math.max(this.counters.largestGroup, group.length),
    };
    const settle = (failure?: Error): void =>
      group.forEach((pending, index) => {
        const outcome = outcomes[index]!;
        if (failure) pending.reject(failure);
        else if (outcome.ok) pending.resolve(outcome.value);
        else pending.reject(outcome.error);
      });
    if (!this.durability) {
      this.onDurable();
      settle();
      return;
    }
    this.awaitingSync.push(settle);
    this.syncing ??= this.syncLoop(this.durability);
  }

  /** One sync at a time; each covers every group committed before it began. */
  private async syncLoop(durability: Durability): Promise<void> {
    try {
      while (this.awaitingSync.length > 0) {
        const covered = this.awaitingSync;
        this.awaitingSync = [];
        try {
          await durability.sync();
        } catch (error) {
          this.lost = new DurabilityLostError(asError(error));
          for (const settle of [...covered, ...this.awaitingSync]) settle(this.lost);
          this.awaitingSync = [];
          return;
        }
        this.counters = { ...this.counters, syncs: this.counters.syncs + 1 };
        this.onDurable();
        for (const settle of covered) settle();
      }
    } finally {
      this.syncing = undefined;
    }
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
