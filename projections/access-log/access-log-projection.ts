import { ACCESS_LOG_STREAM_PREFIX, viewsOf, type PersonalDataViewedDataV2 } from '../../services/access-log/personal-data-viewed.js';
import type { RecordedEvent } from '../../services/event-store/port.js';
import type { Projection } from '../projection.js';

/**
 * Who read which family's personal data, when, and which group of fields. Version 2: one row
 * per request (`access_log_requests`: who and when) and, per family it read, one small row
 * keyed by family (`family_access_log`: family, position, group of fields), instead of
 * repeating the viewer and the time on every family's row and keeping a second index.
 */
export const accessLogProjection: Projection = {
  name: 'access-log',
  version: 2,
  tables: {
    access_log_requests: `position INTEGER PRIMARY KEY, user_id TEXT NOT NULL, organization_id TEXT NOT NULL, role TEXT NOT NULL,
      viewed_at TEXT NOT NULL`,
    // `rank`: the view's place in its request, so reads of one request list as version 1 did.
    family_access_log: `family_id TEXT NOT NULL, position INTEGER NOT NULL, fields TEXT NOT NULL, rank INTEGER NOT NULL,
      PRIMARY KEY (family_id, position, fields)`,
  },
  indexes: [],
  bind: (db, table) => {
    const request = db.prepare(`INSERT OR IGNORE INTO ${table('access_log_requests')} VALUES (?, ?, ?, ?, ?)`);
    const view = db.prepare(`INSERT OR IGNORE INTO ${table('family_access_log')} VALUES (?, ?, ?, ?)`);
    return {
      applyBatch(events: readonly RecordedEvent[]) {
        for (const event of events) {
          if (!event.stream.startsWith(ACCESS_LOG_STREAM_PREFIX) || event.type !== 'PersonalDataViewed') continue;
          const data = event.data as unknown as Pick<PersonalDataViewedDataV2, 'viewer' | 'viewedAt'>;
          const position = event.position.commit;
          request.run(position, data.viewer.userId, data.viewer.organizationId, data.viewer.role, data.viewedAt);
          viewsOf(event.data).forEach(({ familyId, fields }, rank) => view.run(familyId, position, fields, rank));
        }
      },
    };
  },
};
