import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../services/event-store/port.js';
import { dataKeyId } from '../../services/privacy/data-key-id.js';
import type { BoundProjection, Projection } from '../projection.js';

const FAMILY_STREAM_PREFIX = 'family-';

/**
 * Every data subject erased (SubjectErased), by the id of its data key, with its family (version 2: key ids, not bare person ids): what the erasure sweep
 * (infra/keys/erasure-sweep.ts) reads to destroy any key that survived a crash between the
 * event's append and the key's destruction. Ids only: an erased subject's id is a fact of the
 * case, never personal data (the person's data is under `personal`, sealed with the key).
 */
export const erasuresProjection: Projection = {
  name: 'erasures',
  version: 2,
  tables: {
    erased_subjects: 'subject_id TEXT PRIMARY KEY, family_id TEXT NOT NULL, position_commit INTEGER NOT NULL, position_prepare INTEGER NOT NULL',
  },
  indexes: [],
  bind: (db, table) => bindErasures(db, table),
};

const bindErasures = (db: Database.Database, table: (base: string) => string): BoundProjection => {
  const insert = db.prepare(`INSERT INTO ${table('erased_subjects')} VALUES (?, ?, ?, ?) ON CONFLICT (subject_id) DO NOTHING`);
  return {
    applyBatch(events: readonly RecordedEvent[]) {
      for (const event of events) {
        if (event.type !== 'SubjectErased' || !event.stream.startsWith(FAMILY_STREAM_PREFIX)) continue;
        const subjectId = event.data['subjectId'];
        // The key's id names the person within their family (data-key-id.ts): person ids repeat across families.
        if (typeof subjectId === 'string') insert.run(dataKeyId(event.stream, subjectId), event.stream.slice(FAMILY_STREAM_PREFIX.length), event.position.commit, event.position.prepare);
      }
    },
  };
};

/** The subjects erased, in the order of their erasure. */
export const erasedSubjects = (db: Database.Database): string[] =>
  db.prepare('SELECT subject_id FROM erased_subjects ORDER BY position_commit, position_prepare').pluck().all() as string[];
