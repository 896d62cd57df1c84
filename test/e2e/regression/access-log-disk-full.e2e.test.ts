import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/async.js';
import { dataOf, issueKey, postGraphQL, registerOrganization } from '../../support/graphql-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { startTrackerProcess, type TrackerProcess } from '../../support/tracker-process.js';

/**
 * Issue 12, finding 7: when the access log could not be written (disk full), a read of personal
 * data answered BAD_USER_INPUT, as if the client had erred. It must be UNAVAILABLE (HTTP 503),
 * with nothing of the data in the response. The disk is really full: the tracker runs on a small
 * tmpfs in its own mount namespace (`unshare`), and the test fills that file system through
 * /proc/<pid>/root until it has no space left.
 */
const ADMIN = 'disk-full-admin-key-0123456789abc';
const temp = makeTempDir('tracker-disk-full-');
const CANARY = 'Canaryname';
let tracker: TrackerProcess | undefined;

/** Runs the tracker's command line on a fresh 16 MiB tmpfs mounted over its data directory. */
const ON_SMALL_TMPFS = ['unshare', '--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs -o size=16m tmpfs "$TRACKER_DATA_DIR" && exec "$@"', 'sh'];
const canMountTmpfs = spawnSync(ON_SMALL_TMPFS[0]!, [...ON_SMALL_TMPFS.slice(1), 'true'], { env: { ...process.env, TRACKER_DATA_DIR: temp.dir } }).status === 0;

const readPersonalData = (url: string, key: string, familyId: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: 'query($id: ID!) { family(id: $id) { children { givenName } } }', variables: { id: familyId } }),
  });

/** Writes to `file` until the file system says it is full; bounded by the tmpfs's size. */
const fillUp = (file: string): void => {
  const chunk = Buffer.alloc(256 * 1024, 7);
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < 200; i += 1) writeSync(fd, chunk);
    throw new Error('the file system never filled up');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
};

/** Waits until every projection has applied every event (so no read-model write is pending). */
const settled = (url: string): Promise<void> =>
  waitUntil('the read models to settle', async () => {
    const body = (await (await fetch(`${url}/readyz`)).json()) as { projections: Array<{ behind: number }> };
    return body.projections.every((projection) => projection.behind === 0);
  }, 30_000);

afterAll(async () => {
  await tracker?.stop();
  temp.remove();
});

// Skipped only where this machine does not let an unprivileged process mount a tmpfs in its own
// user and mount namespace (`unshare -rm`); the test then cannot fill a disk safely.
describe.skipIf(!canMountTmpfs)('regression: a full disk while recording the access log answered BAD_USER_INPUT', () => {
  it('is UNAVAILABLE (HTTP 503) without the data, logged with SQLITE_FULL, and reads work again once there is space', async () => {
    tracker = await startTrackerProcess({ TRACKER_DATA_DIR: temp.dir, TRACKER_BOOTSTRAP_ADMIN_KEY: ADMIN }, ON_SMALL_TMPFS);
    await registerOrganization(tracker.url, ADMIN, 'full-org');
    const key = await issueKey(tracker.url, ADMIN, 'full-org', 'full-advocate', 'ADVOCATE');
    const familyId = dataOf(await postGraphQL(tracker.url, key, 'mutation { openFamilyCase(input: { programme: SIJ }) { family { id } } }')).openFamilyCase.family.id as string;
    dataOf(await postGraphQL(tracker.url, key, `mutation($id: ID!) { registerChild(input: { familyId: $id, childId: "c", givenName: "${CANARY}", birthDate: "2012-03-04", nationality: "HN" }) { revision } }`, { id: familyId }));
    expect((await readPersonalData(tracker.url, key, familyId)).status).toBe(200);
    await settled(tracker.url);

    const filler = join(`/proc/${String(tracker.child.pid)}/root`, temp.dir, 'filler');
    fillUp(filler);
    const refused = await readPersonalData(tracker.url, key, familyId);
    const text = await refused.text();
    expect(refused.status, text).toBe(503);
    const body = JSON.parse(text) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAVAILABLE']);
    expect(body.data ?? null).toBeNull();
    expect(text).not.toContain(CANARY);
    expect(tracker.output()).toMatch(/"code":"SQLITE_FULL".*"msg":"access log write failed"/);

    rmSync(filler);
    const again = await readPersonalData(tracker.url, key, familyId);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain(CANARY);
  });
});
