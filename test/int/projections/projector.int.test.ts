import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { familiesProjection } from '../../../projections/families/families-projection.js';
import { organizationsProjection } from '../../../projections/organizations/organizations-projection.js';
import type { Projection } from '../../../projections/projection.js';
import { firstDifference, readModelSnapshot } from '../../../projections/read-model-snapshot.js';
import { positionOf } from '../../../services/event-store/position.js';
import { command } from '../../support/family-fixtures.js';
import { loadFamilies } from '../../support/family-load.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

let h: ReadSideHarness;
beforeEach(() => {
  h = openReadSideHarness();
});
afterEach(() => h.close());

const failing: Projection = {
  name: 'failing', version: 1, tables: { failing_rows: 'n INTEGER' }, indexes: [],
  bind: () => ({ applyBatch: (events) => { if (events.some((e) => e.type === 'RelativeAdded')) throw new Error('cannot apply RelativeAdded'); } }),
};

describe('projector', () => {
  it('a projection that throws stops at that batch and says so; the others go on', async () => {
    const total = await loadFamilies(h.store, 3, 10);
    h.reopen([failing, familiesProjection]);
    await h.projector.catchUp();
    const [stalled, families] = h.projector.status();
    expect(stalled).toMatchObject({ name: 'failing', stalled: { afterPosition: null, error: 'cannot apply RelativeAdded' }, position: null, eventsApplied: 0 });
    expect(families).toMatchObject({ name: 'families', caughtUp: true, stalled: null, eventsApplied: total });
    expect(h.projector.ready()).toBe(false);
    expect(h.rows('SELECT count(*) AS n FROM families')).toEqual([{ n: 3 }]);
    expect(await h.projector.waitFor(positionOf(1n), 100)).toBe(false);
  });

  it('read-your-writes: waits until every projection has passed a position', async () => {
    h.projector.start();
    const first = await loadFamilies(h.store, 2, 10);
    expect(await h.projector.waitFor(positionOf(BigInt(first)), 5_000)).toBe(true);
    expect(h.rows('SELECT count(*) AS n FROM families')).toEqual([{ n: 2 }]);
    expect(await h.projector.waitFor(positionOf(BigInt(first + 1)), 200)).toBe(false);
  });

  it('follows live appends after catching up', async () => {
    h.projector.start();
    const first = await loadFamilies(h.store, 1, 10);
    await h.projector.waitFor(positionOf(BigInt(first)), 5_000);
    const { revision, position } = await h.execute(command('RecordIdentifier', { familyId: 'load-0000000', personId: 'c1', kind: 'A_NUMBER', value: 'A1' }));
    expect(await h.projector.waitFor(position, 5_000)).toBe(true);
    expect(h.rows('SELECT revision FROM families')).toEqual([{ revision }]);
  });

  it('a new projection version is built into fresh tables, then the views switch and the old tables go', async () => {
    const total = await loadFamilies(h.store, 5, 12);
    await h.projector.catchUp();
    const before = readModelSnapshot(h.readDb, familiesProjection);

    const next = familiesProjection.version + 1;
    const v2: Projection = { ...familiesProjection, version: next };
    h.reopen([organizationsProjection, v2]);
    expect(h.projector.status()[1]).toMatchObject({ version: next, rebuilding: true, eventsApplied: 0 });
    expect(h.rows('SELECT count(*) AS n FROM families')).toEqual([{ n: 5 }]);
    await h.projector.catchUp();

    expect(h.projector.status()[1]).toMatchObject({ version: next, rebuilding: false, caughtUp: true, eventsApplied: total });
    expect(h.rows("SELECT name FROM sqlite_master WHERE name LIKE 'families__v%' AND type = 'table'")).toEqual([{ name: `families__v${String(next)}` }]);
    expect(h.rows("SELECT version, active FROM projection_checkpoints WHERE name = 'families'")).toEqual([{ version: next, active: 1 }]);
    expect(firstDifference(before, readModelSnapshot(h.readDb, v2))).toBeUndefined();
  });

  it('a rebuild from scratch equals the live read model, row by row', async () => {
    h.projector.start();
    const total = await loadFamilies(h.store, 40, 15);
    expect(await h.projector.waitFor(positionOf(BigInt(total)), 10_000)).toBe(true);
    await h.projector.stop();
    const live = readModelSnapshot(h.readDb, familiesProjection);

    h.reopen(undefined, 'rebuilt.sqlite');
    await h.projector.catchUp();
    expect(firstDifference(live, readModelSnapshot(h.readDb, familiesProjection))).toBeUndefined();
    expect(live['families']).toHaveLength(40);
  });

  it('names the first difference when a read model was changed behind its back', async () => {
    await loadFamilies(h.store, 3, 10);
    await h.projector.catchUp();
    const live = readModelSnapshot(h.readDb, familiesProjection);
    h.readDb.prepare(`UPDATE families__v${String(familiesProjection.version)} SET status = 'CLOSED' WHERE family_id = 'load-0000001'`).run();
    expect(firstDifference(readModelSnapshot(h.readDb, familiesProjection), live)).toMatch(/^families, row 2: live .*"status":"CLOSED"/);
  });
});
