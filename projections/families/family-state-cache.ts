/**
 * A bounded least-recently-used map with a size per entry: entries are dropped, oldest use
 * first, once their sizes add up to more than `capacity`. The families projection keeps the
 * decoded state of the families it wrote last here (sized by the length of their encoded
 * snapshot), so a family touched again in a later batch is not decoded again.
 */
export class SizedLru<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly size: number }>();
  private total = 0;
  private counters = { hits: 0, misses: 0 };

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.counters.misses += 1;
      return undefined;
    }
    this.counters.hits += 1;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, size: number): void {
    this.delete(key);
    if (size > this.capacity) return;
    this.entries.set(key, { value, size });
    this.total += size;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.capacity) break;
      this.entries.delete(oldest);
      this.total -= entry.size;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.size;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** Lookups that found an entry and that did not, since this map was made. */
  stats(): { readonly hits: number; readonly misses: number; readonly entries: number; readonly size: number } {
    return { ...this.counters, entries: this.entries.size, size: this.total };
  }
}
