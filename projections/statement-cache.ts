import type Database from 'better-sqlite3';

/** Prepared statements of the read-model database, shared by every request. */
export class StatementCache {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}
  get(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

/**
 * One request's reads over the shared statements, counted: the N+1 test and the benchmark read
 * `statements`, whichever read model ran them.
 */
export class RequestQueries {
  statements = 0;
  constructor(readonly cache: StatementCache) {}

  all<T>(sql: string, parameters: Record<string, unknown> = {}): T[] {
    this.statements += 1;
    return this.cache.get(sql).all(parameters) as T[];
  }

  /** For queries that read 64-bit positions: rows come back with bigints. */
  allSafeIntegers<T>(sql: string, parameters: Record<string, unknown> = {}): T[] {
    this.statements += 1;
    return this.cache.get(sql).safeIntegers(true).all(parameters) as T[];
  }
}
