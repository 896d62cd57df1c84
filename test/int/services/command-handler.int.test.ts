import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { FAMILY_EVENT_SCHEMA_VERSION } from '../../../services/family/events.js';
import { familyIdForOpening } from '../../../services/family/family-service.js';
import { DomainError } from '../../../services/shared/domain-error.js';
import { verifyHashChain } from '../../../services/verify-hash-chain.js';
import { ADVOCATE, command, country, date } from '../../support/family-fixtures.js';
import { openFamilyHarness, type FamilyHarness } from '../../support/family-harness.js';

const codeOf = (error: unknown): string | undefined => (error instanceof DomainError ? error.code : undefined);

describe('command handler on the embedded store', () => {
  let h: FamilyHarness;
  const familyId = 'fam-1';
  const open = () => h.execute(command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SEPARATED_FAMILY' }));
  const register = (childId: string) =>
    command('RegisterChild', { familyId, childId, givenName: 'Ana', birthDate: date('2010-01-01'), birthDateEstimated: false, nationality: country('GT'), languages: ['es'], needsInterpreter: false });

  beforeEach(() => {
    h = openFamilyHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('appends the decided events with full metadata and a valid hash chain', async () => {
    await open();
    const result = await h.execute(register('c1'), { commandId: 'cmd-1', correlationId: 'corr-1' });
    const events = await h.events(familyId);

    expect(result).toMatchObject({ revision: 1, replayed: false });
    expect(events.map((e) => e.type)).toEqual(['FamilyCaseOpened', 'ChildRegistered']);
    expect(events[1]?.metadata).toMatchObject({
      schemaVersion: FAMILY_EVENT_SCHEMA_VERSION, actor: ADVOCATE, commandType: 'RegisterChild', commandId: 'cmd-1', correlationId: 'corr-1', causationId: 'cmd-1',
      occurredAt: '2024-06-01T12:00:00.000Z', recordedAt: '2024-06-01T12:00:00.000Z',
    });
    expect(events[1]?.metadata['prevHash']).toBe(events[0]?.metadata['hash']);
    expect(verifyHashChain(`family-${familyId}`, events)).toEqual({ ok: true, events: 2 });
  });

  it('malformed input is rejected before the store is touched', async () => {
    await open();
    const error = await h.execute({ ...register('c1'), birthDate: date('2024-02-30') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'birthDate' });
    expect(await h.events(familyId)).toHaveLength(1);
  });

  it('a rejected command appends nothing', async () => {
    await open();
    const error = await h.execute(command('StartTracing', { familyId, relativeId: 'ghost', defenderOrganizationId: 'o' })).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('NOT_FOUND');
    expect(await h.events(familyId)).toHaveLength(1);
  });

  describe('idempotency by commandId', () => {
    it('a repeated command returns the first result and appends nothing', async () => {
      await open();
      const first = await h.execute(register('c1'), { commandId: 'cmd-1' });
      const again = await h.execute({ ...register('c1'), issuedAt: '2024-06-01T12:05:00.000Z', occurredAt: '2024-06-01T12:05:00.000Z' }, { commandId: 'cmd-1' });
      expect(again).toEqual({ ...first, replayed: true });
      expect(await h.events(familyId)).toHaveLength(2);
    });

    it('the same commandId with a different payload is IDEMPOTENCY_KEY_REUSED', async () => {
      await open();
      await h.execute(register('c1'), { commandId: 'cmd-1' });
      const error = await h.execute(register('c2'), { commandId: 'cmd-1' }).catch((e: unknown) => e);
      expect(codeOf(error)).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await h.events(familyId)).toHaveLength(2);
    });

    it('five concurrent repeats of one command apply it once and all answer alike', async () => {
      await open();
      const results = await Promise.all(Array.from({ length: 5 }, () => h.execute(register('c1'), { commandId: 'cmd-race' })));
      expect(new Set(results.map((r) => `${String(r.revision)}@${String(r.position.commit)}`)).size).toBe(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(await h.events(familyId)).toHaveLength(2);
    });

    it('a retried case opening never creates a second family', async () => {
      const opening = (issuedAt: string) => {
        const id = familyIdForOpening('org-a', 'open-1', newEventId);
        return h.execute(command('OpenFamilyCase', { familyId: id, leadOrganizationId: 'org-a', programme: 'ASYLUM', issuedAt, occurredAt: issuedAt }), { commandId: 'open-1' });
      };
      const [a, b] = await Promise.all([opening('2024-06-01T12:00:00.000Z'), opening('2024-06-01T12:00:01.000Z')]);
      const c = await opening('2024-06-01T12:10:00.000Z');
      expect(a.position).toEqual(b.position);
      expect(c).toEqual({ ...a, replayed: true });
      expect(await h.events(familyIdForOpening('org-a', 'open-1', newEventId))).toHaveLength(1);
      const streams = new Set((await collectAll(h)).map((e) => e.stream));
      expect(streams.size).toBe(1);
    });
  });

  describe('concurrency', () => {
    it('20 concurrent commands without expectedRevision all succeed, in contiguous revisions', async () => {
      await open();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => h.execute(register(`c${String(i)}`))));
      expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const events = await h.events(familyId);
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 21 }, (_, i) => i));
      expect(verifyHashChain(`family-${familyId}`, events).ok).toBe(true);
    });

    it('a stale expectedRevision is CONFLICT and is not retried', async () => {
      await open();
      await h.execute(register('c1'));
      const error = await h.execute(register('c2'), { expectedRevision: 0 }).catch((e: unknown) => e);
      expect(codeOf(error)).toBe('CONFLICT');
      expect((error as Error).message).toMatch(/expectedRevision does not match the current revision 1/);
      const ok = await h.execute(register('c2'), { expectedRevision: 1 });
      expect(ok.revision).toBe(2);
    });
  });
});

const collectAll = async (h: FamilyHarness) => {
  const all = [];
  for await (const event of h.store.readAll()) all.push(event);
  return all;
};
