import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { familiesProjection } from '../../../projections/families/families-projection.js';
import { organizationsProjection } from '../../../projections/organizations/organizations-projection.js';
import type { Projection } from '../../../projections/projection.js';
import { positionOf } from '../../../services/event-store/position.js';
import { command } from '../../support/family-fixtures.js';
import { loadFamilies } from '../../support/family-load.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

/**
 * Projector.notServing: which projections may not answer questions of access, and why. The
 * server refuses every request while organizations or families is listed (read-model-guard.ts).
 */
let h: ReadSideHarness;
beforeEach(() => {
  h = openReadSideHarness();
});
afterEach(() => h.close());

const failingOn = (type: string): Projection => ({
  name: 'failing', version: 1, tables: { failing_rows: 'n INTEGER' }, indexes: [],
  bind: () => ({ applyBatch: (events) => { if (events.some((e) => e.type === type)) throw new Error(`cannot apply ${type}`); } }),
});

describe('projector: which projections may answer', () => {
  it('none before the store\'s head at start is read; all once they have passed it', async () => {
    await loadFamilies(h.store, 2, 10);
    expect(h.projector.notServing().map((n) => [n.projection, n.reason])).toEqual([['organizations', 'STARTING'], ['families', 'STARTING']]);
    await h.projector.catchUp();
    expect(h.projector.notServing()).toEqual([]);
  });

  it('a projection behind the head at start is CATCHING_UP, with where it is and the head', async () => {
    const total = await loadFamilies(h.store, 3, 10);
    h.reopen([organizationsProjection, familiesProjection, failingOn('RelativeAdded')]);
    h.projector.start();
    expect(await h.projector.waitFor(positionOf(BigInt(total)), 5_000, [familiesProjection.name])).toBe(true);
    expect(h.projector.notServing([familiesProjection.name])).toEqual([]);
    expect(h.projector.notServing()).toEqual([expect.objectContaining({ projection: 'failing', reason: 'STALLED', detail: 'stalled after position the start: cannot apply RelativeAdded' })]);
  });

  it('a stall of one projection fails waitFor for it, not for another', async () => {
    h.reopen([organizationsProjection, familiesProjection, failingOn('RelativeAdded')]);
    h.projector.start();
    const total = await loadFamilies(h.store, 1, 10);
    expect(await h.projector.waitFor(positionOf(BigInt(total)), 5_000, ['failing'])).toBe(false);
    expect(await h.projector.waitFor(positionOf(BigInt(total)), 5_000, [familiesProjection.name])).toBe(true);
    await expect(h.projector.waitFor(positionOf(1n), 10, ['no-such-projection'])).rejects.toThrow('no projection named no-such-projection');
  });

  it('a projection building a new version is REBUILDING until the views switch to it', async () => {
    await loadFamilies(h.store, 3, 10);
    await h.projector.catchUp();
    h.reopen([organizationsProjection, { ...familiesProjection, version: familiesProjection.version + 1 }]);
    expect(h.projector.notServing([familiesProjection.name])).toEqual([expect.objectContaining({ reason: 'REBUILDING' })]);
    await h.projector.catchUp();
    expect(h.projector.notServing()).toEqual([]);
  });

  it('passing the head at start is for good: later appends do not make a projection CATCHING_UP', async () => {
    h.projector.start();
    const first = await loadFamilies(h.store, 1, 10);
    expect(await h.projector.waitFor(positionOf(BigInt(first)), 5_000)).toBe(true);
    const { position } = await h.execute(command('RecordIdentifier', { familyId: 'load-0000000', personId: 'c1', kind: 'A_NUMBER', value: 'A1' }));
    expect(h.projector.notServing()).toEqual([]);
    expect(await h.projector.waitFor(position, 5_000)).toBe(true);
  });
});
