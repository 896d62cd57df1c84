import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { casefileProjection } from '../../../projections/casefile/casefile-projection.js';
import { VIEW_FIELDS } from '../../../projections/casefile/casefile-view.js';
import { decodePersonal, encodePersonal } from '../../../projections/casefile/personal-column.js';

/**
 * The case file's read shape is versioned with its projection: the view types' fields
 * (VIEW_FIELDS, checked by tsc against the TS types) and the tables' columns are pinned per
 * version in casefile-view-shapes.json. Changing either without bumping
 * `casefileProjection.version` fails here; a new version needs its shape added there (the old
 * ones stay, as the record of what each version served).
 */
const SHAPES = JSON.parse(readFileSync(join(import.meta.dirname, 'casefile-view-shapes.json'), 'utf8')) as Record<string, unknown>;

const currentShape = () => {
  const db = new Database(':memory:');
  try {
    const tables = Object.fromEntries(Object.entries(casefileProjection.tables).sort(([a], [b]) => a.localeCompare(b)).map(([name, columns]) => {
      db.exec(`CREATE TABLE ${name} (${columns})`);
      const info = db.prepare(`PRAGMA table_info(${name})`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
      return [name, info.map((column) => `${column.name} ${column.type}${column.notnull ? ' NOT NULL' : ''}${column.pk ? ` PK${String(column.pk)}` : ''}`)];
    }));
    return { views: VIEW_FIELDS, tables };
  } finally {
    db.close();
  }
};

describe('the case file view', () => {
  it('has the shape pinned for its projection version (bump the version when it changes)', () => {
    const version = String(casefileProjection.version);
    expect(Object.keys(SHAPES), `add the shape of casefile version ${version} to casefile-view-shapes.json`).toContain(version);
    expect(JSON.parse(JSON.stringify(currentShape()))).toEqual(SHAPES[version]);
  });

  it('keeps a personal value only with its place and reads it back only there', () => {
    const text = encodePersonal(undefined, 'casefile_people.phone', 'mother', '+504 9999 0001');
    expect(decodePersonal('casefile_people.phone', text)).toBe('+504 9999 0001');
    expect(decodePersonal('casefile_people.safe_contact', text)).toBeNull();
    expect(decodePersonal('casefile_people.phone', null)).toBeNull();
  });
});
