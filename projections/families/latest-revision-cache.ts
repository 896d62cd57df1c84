/**
 * What was computed from a family at its latest revision, shared by requests: one entry per key
 * (a family, or a family seen at a scope on a day), holding only the revision it was computed
 * at. A newer revision replaces the entry, so stale revisions never pile up (they did when the
 * key held the revision: a family changed 10,000 times filled the cache with its past). Bounded
 * by entries: past `limit`, the least recently used goes.
 */
export class LatestRevisionCache<V> {
  private readonly entries = new Map<string, { readonly revision: number; readonly value: V }>();

  constructor(private readonly limit: number) {}

  get(key: string, revision: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry?.revision !== revision) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
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
    this.entries.set(key, { revision, value });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }
}
