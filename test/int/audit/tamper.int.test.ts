import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { familyStreamName } from '../../../services/family/family-decider.js';
import { verifyFamilyStream } from '../../../services/family/family-history.js';
import { command, country, date } from '../../support/family-fixtures.js';
import { openFamilyHarness, type FamilyHarness } from '../../support/family-harness.js';

/**
 * Tampering with the embedded store's file directly, as someone with access to the disk would:
 * drop the append-only triggers, then edit, delete, insert or reorder rows of a family's stream.
 * verifyFamilyStream must name the first revision that breaks, and how.
 */
const FAMILY = 'fam-1';
const STREAM = familyStreamName(FAMILY);
let h: FamilyHarness;
let db: Database.Database;
let streamId: number;

beforeEach(async () => {
  h = openFamilyHarness();
  await h.execute(command('OpenFamilyCase', { familyId: FAMILY, leadOrganizationId: 'org-a', programme: 'SEPARATED_FAMILY' }));
  for (const childId of ['c1', 'c2', 'c3']) {
    await h.execute(command('RegisterChild', { childId, givenName: 'Ana', birthDate: date('2012-01-01'), birthDateEstimated: false, nationality: country('HN'), languages: ['es'], needsInterpreter: false }));
  }
  for (const relativeId of ['r1', 'r2']) await h.execute(command('AddRelative', { relativeId, relationship: 'FATHER', givenName: 'Luis', biological: true, vitalStatus: 'ALIVE', adverse: false }));
  db = new Database(h.file);
  db.exec('DROP TRIGGER events_are_never_updated; DROP TRIGGER events_are_never_deleted;');
  streamId = (db.prepare('SELECT stream_id FROM streams WHERE name = ?').get(STREAM) as { stream_id: number }).stream_id;
});
afterEach(async () => {
  db.close();
  await h.close();
});

const verify = () => verifyFamilyStream(STREAM, h.store.readStream(STREAM));
const sql = (text: string, ...parameters: unknown[]) => db.prepare(text).run(streamId, ...parameters);
/** Moves revisions >= from by `by`, through a free range so the unique index never collides. */
const shift = (from: number, by: number) => {
  sql('UPDATE events SET revision = revision + 1000 WHERE stream_id = ? AND revision >= ?', from);
  db.prepare('UPDATE events SET revision = revision - 1000 + ? WHERE stream_id = ? AND revision >= 1000').run(by, streamId);
};

describe('tamper evidence on the SQLite file', () => {
  it('an untouched stream verifies', async () => {
    expect(await verify()).toMatchObject({ ok: true, events: 6 });
  });

  it('an edited child name is CHANGED at its revision', async () => {
    sql(`UPDATE events SET data = json_set(data, '$.personal.givenName', 'Eva') WHERE stream_id = ? AND revision = 2`);
    expect(await verify()).toMatchObject({ ok: false, revision: 2, problem: 'changed' });
  });

  it('edited metadata (who recorded it) is CHANGED', async () => {
    sql(`UPDATE events SET metadata = json_set(metadata, '$.actor.userId', 'someone-else') WHERE stream_id = ? AND revision = 4`);
    expect(await verify()).toMatchObject({ ok: false, revision: 4, problem: 'changed' });
  });

  it('a deleted event is MISSING at its revision, with or without renumbering the rest', async () => {
    sql('DELETE FROM events WHERE stream_id = ? AND revision = 3');
    expect(await verify()).toMatchObject({ ok: false, revision: 3, problem: 'missing' });
    shift(4, -1);
    expect(await verify()).toMatchObject({ ok: false, revision: 3, problem: 'missing' });
  });

  it('an inserted event is INSERTED at its revision', async () => {
    shift(2, 1);
    db.prepare(`INSERT INTO events (position, id, stream_id, revision, type, data, metadata, recorded_at)
      SELECT (SELECT max(position) + 1 FROM events), 'forged-id', stream_id, 2, type, json_set(data, '$.childId', 'c9'), metadata, recorded_at
      FROM events WHERE stream_id = ? AND revision = 3`).run(streamId);
    expect(await verify()).toMatchObject({ ok: false, revision: 2, problem: 'inserted' });
  });

  it('two swapped events are REORDERED at the first', async () => {
    sql('UPDATE events SET revision = 1000 WHERE stream_id = ? AND revision = 1');
    sql('UPDATE events SET revision = 1 WHERE stream_id = ? AND revision = 2');
    sql('UPDATE events SET revision = 2 WHERE stream_id = ? AND revision = 1000');
    expect(await verify()).toMatchObject({ ok: false, revision: 1, problem: 'reordered' });
  });
});
