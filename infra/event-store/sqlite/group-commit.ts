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
}

/**
 * Group commit over one better-sqlite3 connection. Jobs queued before the event loop's next
 * check phase (`setImmediate`: every I/O callback of the current turn has run by then, so
 * requests that arrived together are queued together) run in ONE `BEGIN IMMEDIATE`
 * transaction, each inside its own savepoint: a job that throws is rolled back alone and
 * rejected alone, the others go on. The group's COMMIT is one fsync (`synchronous=FULL`), and
 * no job's promise settles before it returns: nothing is acknowledged that is not durable.
 * Should the COMMIT itself fail, or SQLite abort the whole transaction (disk full, I/O error),
 * every job of the group is rejected with that error and none was written.
 *
 * Limit: better-sqlite3 commits on the event-loop thread, so "while a commit is in flight" means
 * while the loop is busy with it; what arrives meanwhile waits in the kernel's socket buffers
 * and forms the next group.
 */
export class GroupCommitter<Job, Result> {
  private queue: Array<Pending<Job, Result>> = [];
  private scheduled = false;
  private readonly transaction;
  private counters = { commits: 0, jobs: 0, largestGroup: 0 };

  constructor(
    private readonly db: Database.Database,
    runJob: (job: Job) => Result,
    private readonly onCommitted: () => void,
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

  /** Queues a job; it settles once the transaction that carries it has committed (or failed). */
  submit(job: Job, size: number): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, size, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now, synchronously (at close). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) this.commitGroup(this.takeGroup());
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
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
    let outcomes: Array<Outcome<Result>>;
    try {
      outcomes = this.transaction.immediate(group);
    } catch (error) {
      for (const pending of group) pending.reject(asError(error));
      return;
    }
    this.counters = {
      commits: this.counters.commits + 1,
      jobs: this.counters.jobs + group.length,
      largestGroup: Math.max(this.counters.largestGroup, group.length),
    };
    this.onCommitted();
    group.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
