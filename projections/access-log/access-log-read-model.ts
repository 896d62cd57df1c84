import type { RequestQueries } from '../statement-cache.js';

export interface AccessLogRow { readonly user_id: string; readonly organization_id: string; readonly role: string; readonly fields: string; readonly viewed_at: string }

/** Reads of the access log projection. Whether the caller may see the family is checked before. */
export class AccessLogReadModel {
  constructor(private readonly queries: RequestQueries) {}

  /** The newest reads of a family's personal data (newest first; within one request in reverse order of recording, as version 1 answered). */
  accessLog(familyId: string, limit: number): AccessLogRow[] {
    return this.queries.all(
      `SELECT r.user_id, r.organization_id, r.role, f.fields, r.viewed_at
       FROM family_access_log f JOIN access_log_requests r ON r.position = f.position
       WHERE f.family_id = @familyId ORDER BY f.position DESC, f.rank DESC LIMIT @limit`,
      { familyId, limit },
    );
  }
}
