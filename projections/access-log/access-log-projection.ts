import { ACCESS_LOG_STREAM_PREFIX, type PersonalDataViewed } from '../../services/access-log/personal-data-viewed.js';
import type { RecordedEvent } from '../../services/event-store/port.js';
import type { Projection } from '../projection.js';

/** Who read which family's personal data, when, and which group of fields. */
export const accessLogProjection: Projection = {
  name: 'access-log',
  version: 1,
  tables: {
    family_access_log: `position INTEGER NOT NULL, family_id TEXT NOT NULL, user_id TEXT NOT NULL, organization_id TEXT NOT NULL,
      role TEXT NOT NULL, fields TEXT NOT NULL, viewed_at TEXT NOT NULL, PRIMARY KEY (position, family_id, fields)`,
  },
  indexes: ['CREATE INDEX IF NOT EXISTS {family_access_log}_family ON {family_access_log} (family_id, position)'],
  bind: (db, table) => {
    const insert = db.prepare(`INSERT OR IGNORE INTO ${table('family_access_log')} VALUES (?, ?, ?, ?, ?, ?, ?)`);
    return {
      applyBatch(events: readonly RecordedEvent[]) {
        for (const event of events) {
          if (!event.stream.startsWith(ACCESS_LOG_STREAM_PREFIX) || event.type !== 'PersonalDataViewed') continue;
          const { data } = event as unknown as PersonalDataViewed;
          for (const view of data.views) {
            insert.run(event.position.commit, view.familyId, data.viewer.userId, data.viewer.organizationId, data.viewer.role, view.fields, data.viewedAt);
          }
        }
      },
    };
  },
};
