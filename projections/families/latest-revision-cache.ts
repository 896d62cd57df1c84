/**
 * What was computed from a family at its latest revision, shared by requests: one entry per key
 * (a family, or a family seen at a scope on a day), holding only the revision it was computed
 * at. A newer revision replaces the entry, so stale revisions never pile up (they did when the
 * key held the revision: a family changed 10,000 times filled the cache with its past). Bounded
 * by entries: past `limit`, an entry not used since it was last passed over goes (a "second
 * chance" clock over insertion order: a hit only marks the entry, so reads, the hot path, do not
 * reorder the map; an entry used since is moved to the back once, when eviction reaches it).
 */
export class LatestRevisionCache<V> {
  private readonly entries = new Map<string, { readonly revision: number; readonly value: V; used: boolean }>();

  constructor(private readonly limit: number) {}

  get(key: string, revision: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry?.revision !== revision) return undefined;
    entry.used = true;
    return entry.value;
  }

  has(key: string, revision: number): boolean {
    return this.entries.get(key)?.revision === revision;
  }

  /** Keeps `value` for this revision; an entry of an older revision is replaced, one of a newer revision kept. */
  set(key: string, revision: number, value: V): void {
    const entry = this.entries.get(key);
    if (entry && entry.revision > revision) return;
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.evictOne();
    this.entries.set(key, { revision, value, used: false });
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops the oldest entry not used since it was last passed over; those used get a second chance at the back. */
  private evictOne(): void {
    for (const [key, entry] of this.entries) {
      this.entries.delete(key);
      if (!entry.used) return;
      entry.used = false;
      this.entries.set(key, entry);
    }
  }
}
