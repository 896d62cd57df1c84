import type { Actor } from '../services/shared/decider.js';

/**
 * The reads of personal data one request made, written to the event store (outside the family
 * streams) before the response leaves. `record` is called by resolvers that return names,
 * birth dates or locations; `flush` once per request.
 */
export class RequestAccessLog {
  private readonly views = new Map<string, { familyId: string; fields: string }>();
  /** Everything recorded in this request, flushed or not (a cached answer repeats it: response-cache.ts). */
  private readonly everRecorded = new Map<string, { familyId: string; fields: 'people' | 'history' }>();

  constructor(
    private readonly viewer: Actor,
    private readonly write: (entry: { viewer: Actor; views: Array<{ familyId: string; fields: string }>; viewedAt: string }) => Promise<void>,
    private readonly now: () => string,
  ) {}

  record(familyId: string, fields: 'people' | 'history'): void {
    this.views.set(`${familyId}:${fields}`, { familyId, fields });
    this.everRecorded.set(`${familyId}:${fields}`, { familyId, fields });
  }

  /** The reads recorded in this request so far, in the order first recorded, each once. */
  recorded(): ReadonlyArray<{ readonly familyId: string; readonly fields: 'people' | 'history' }> {
    return [...this.everRecorded.values()];
  }

  async flush(): Promise<void> {
    if (this.views.size === 0) return;
    const views = [...this.views.values()];
    this.views.clear();
    await this.write({ viewer: this.viewer, views, viewedAt: this.now() });
  }
}
