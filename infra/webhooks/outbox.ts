import Database from 'better-sqlite3';

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface DeliveryRow {
  readonly delivery_id: string;
  readonly webhook_id: string;
  readonly family_id: string;
  readonly seq: number;
  readonly payload: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly next_attempt_at: number;
  readonly last_error: string | null;
  readonly last_status_code: number | null;
  readonly created_at: string;
  readonly delivered_at: string | null;
}

export interface NewDelivery { readonly deliveryId: string; readonly familyId: string; readonly payload: string }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_cursors (webhook_id TEXT PRIMARY KEY, after_commit INTEGER NOT NULL, after_prepare INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
  seq INTEGER PRIMARY KEY,
  delivery_id TEXT NOT NULL UNIQUE,
  webhook_id TEXT NOT NULL,
  family_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_status_code INTEGER,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_pending ON deliveries (webhook_id, status, seq);
CREATE TABLE IF NOT EXISTS peer_progress (webhook_id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL);
`;

/** Recorded on a delivery another replica settled (its outbox has the details). */
const SETTLED_BY_PEER = 'settled by another replica';

/**
 * The durable webhook outbox: its own SQLite file in the data directory, `webhooks.sqlite`
 * (not a read model: it is never rebuilt, and it is kept with EventStoreDB too). Each status
 * change an organisation may see becomes one delivery per webhook, enqueued together with the
 * webhook's feed cursor in one transaction, so a restart neither loses nor repeats an enqueue.
 * Delivered, failed and pending deliveries stay for `webhookDeliveries`.
 */
export class WebhookOutbox {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  cursorOf(webhookId: string): { commit: bigint; prepare: bigint } | undefined {
    const row = this.db.prepare('SELECT after_commit AS "commit", after_prepare AS "prepare" FROM webhook_cursors WHERE webhook_id = ?').safeIntegers(true).get(webhookId) as
      { commit: bigint; prepare: bigint } | undefined;
    return row ? { commit: row.commit, prepare: row.prepare } : undefined;
  }

  /** The deliveries and the cursor after them, in one transaction. */
  enqueue(webhookId: string, deliveries: readonly NewDelivery[], cursor: { commit: bigint; prepare: bigint }, createdAt: string): void {
    const insert = this.db.prepare("INSERT OR IGNORE INTO deliveries (delivery_id, webhook_id, family_id, payload, status, created_at) VALUES (?, ?, ?, ?, 'PENDING', ?)");
    const save = this.db.prepare('INSERT OR REPLACE INTO webhook_cursors VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const delivery of deliveries) insert.run(delivery.deliveryId, webhookId, delivery.familyId, delivery.payload, createdAt);
      save.run(webhookId, cursor.commit, cursor.prepare);
    }).immediate();
  }

  /** The webhook's oldest pending delivery: later ones wait for it, so each family's order holds. */
  headOfLine(webhookId: string): DeliveryRow | undefined {
    return this.db.prepare("SELECT * FROM deliveries WHERE webhook_id = ? AND status = 'PENDING' ORDER BY seq LIMIT 1").get(webhookId) as DeliveryRow | undefined;
  }

  markDelivered(deliveryId: string, statusCode: number, at: string): void {
    this.db.prepare("UPDATE deliveries SET status = 'DELIVERED', attempts = attempts + 1, last_status_code = ?, last_error = NULL, delivered_at = ? WHERE delivery_id = ?").run(statusCode, at, deliveryId);
  }

  /** A failed attempt: try again at `nextAttemptAt` (ms since epoch), or give up (FAILED) when `giveUp`. */
  markAttemptFailed(deliveryId: string, failure: { error: string; statusCode: number | null; nextAttemptAt: number; giveUp: boolean }): void {
    this.db.prepare('UPDATE deliveries SET attempts = attempts + 1, last_error = ?, last_status_code = ?, next_attempt_at = ?, status = ? WHERE delivery_id = ?')
      .run(failure.error, failure.statusCode, failure.nextAttemptAt, failure.giveUp ? 'FAILED' : 'PENDING', deliveryId);
  }

  /** Never sent (parked as FAILED, not counted as an attempt): `reason` says why. */
  withhold(deliveryId: string, reason: string): void {
    this.db.prepare("UPDATE deliveries SET status = 'FAILED', last_error = ?, last_status_code = NULL, delivered_at = NULL, next_attempt_at = 0 WHERE delivery_id = ? AND status = 'PENDING'")
      .run(reason, deliveryId);
  }

  /** A failed delivery goes back to the queue, to be tried again from attempt one. */
  replay(webhookIds: readonly string[], deliveryId: string): DeliveryRow | undefined {
    const row = this.delivery(deliveryId);
    if (!row || !webhookIds.includes(row.webhook_id)) return undefined;
    this.db.prepare("UPDATE deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = 0 WHERE delivery_id = ?").run(deliveryId);
    return this.delivery(deliveryId);
  }

  delivery(deliveryId: string): DeliveryRow | undefined {
    return this.db.prepare('SELECT * FROM deliveries WHERE delivery_id = ?').get(deliveryId) as DeliveryRow | undefined;
  }

  /** A page of a webhook's deliveries, newest first, after a sequence number (exclusive). */
  deliveries(webhookId: string, options: { status?: DeliveryStatus | null; first: number; beforeSeq?: number }): DeliveryRow[] {
    return this.db.prepare(`SELECT * FROM deliveries WHERE webhook_id = @webhookId AND (@status IS NULL OR status = @status) AND seq < @before ORDER BY seq DESC LIMIT @limit`)
      .all({ webhookId, status: options.status ?? null, before: options.beforeSeq ?? Number.MAX_SAFE_INTEGER, limit: options.first }) as DeliveryRow[];
  }

  /**
   * The webhook's newest delivery that is no longer pending (delivered or parked). Deliveries go
   * one at a time in order, so every earlier one is settled too. Delivery ids are the same on
   * every replica (webhook id and feed cursor), which is what lets another replica use this.
   */
  lastSettled(webhookId: string): string | undefined {
    const row = this.db.prepare("SELECT delivery_id FROM deliveries WHERE webhook_id = ? AND status <> 'PENDING' ORDER BY seq DESC LIMIT 1").get(webhookId) as
      { delivery_id: string } | undefined;
    return row?.delivery_id;
  }

  /**
   * What the replica holding the dispatch lease has settled: every pending delivery of the
   * webhook up to that one is settled here too (never sent again by this replica). Kept until
   * this outbox has enqueued that delivery, for a replica whose read models are behind.
   */
  settledByPeer(webhookId: string, deliveryId: string, at: string): void {
    this.db.prepare('INSERT OR REPLACE INTO peer_progress VALUES (?, ?)').run(webhookId, deliveryId);
    this.applyPeerProgress(at);
  }

  applyPeerProgress(at: string): void {
    this.db.prepare(
      `UPDATE deliveries SET status = 'DELIVERED', delivered_at = @at, last_error = '${SETTLED_BY_PEER}'
       WHERE status = 'PENDING' AND EXISTS (SELECT 1 FROM peer_progress p JOIN deliveries d ON d.delivery_id = p.delivery_id
         WHERE p.webhook_id = deliveries.webhook_id AND deliveries.seq <= d.seq)`,
    ).run({ at });
  }

  close(): void {
    this.db.close();
  }
}
