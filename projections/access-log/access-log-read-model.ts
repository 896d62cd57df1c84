import type { RequestQueries } from '../statement-cache.js';

export interface AccessLogRow { readonly user_id: string; readonly organization_id: string; readonly role: string; readonly fields: string; readonly viewed_at: string }

/** Reads of the access log projection. Whether the caller may see the family is checked before. */
export class AccessLogReadModel {
  constructor(private readonly queries: RequestQueries) {}

  /** The newest reads of a family's personal data. */
  accessLog(familyId: string, limit: number): AccessLogRow[] {
    return this.queries.all('SELECT * FROM family_access_log WHERE family_id = @familyId ORDER BY position DESC LIMIT @limit', { familyId, limit });
  }
}
