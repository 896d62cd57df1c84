import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../services/event-store/port.js';
import type { BoundProjection, Projection } from '../projection.js';

const FAMILY_STREAM_PREFIX = 'family-';

/**
 * Every data subject erased (SubjectErased), with its family: what the erasure sweep
 * (infra/keys/erasure-sweep.ts) reads to destroy any key that survived a crash between the
 * event's append and the key's destruction. Ids only: an erased subject's id is a fact of the
 * case, never personal data (the person's data is under `personal`, sealed with the key).
 */
export const erasuresProjection: Projection = {
  name: 'erasures',
  version: 1,
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
        if (typeof subjectId === 'string') insert.run(subjectId, event.stream.slice(FAMILY_STREAM_PREFIX.length), event.position.commit, event.position.prepare);
      }
    },
  };
};

/** The subjects erased, in the order of their erasure. */
export const erasedSubjects = (db: Database.Database): string[] =>
  db.prepare('SELECT subject_id FROM erased_subjects ORDER BY position_commit, position_prepare').pluck().all() as string[];
