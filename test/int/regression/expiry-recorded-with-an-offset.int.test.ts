import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { familiesProjection } from '../../../projections/families/families-projection.js';
import { FamilyReadModel } from '../../../projections/families/family-read-model.js';
import { RequestQueries, StatementCache } from '../../../projections/statement-cache.js';
import { handleCommand } from '../../../services/command-handler.js';
import type { FamilyCommand } from '../../../services/family/commands.js';
import { familyDeciderIn, familyStreamName } from '../../../services/family/family-decider.js';
import { worldOf } from '../../../services/family/world.js';
import { FAMILY_EVENT_SCHEMA_VERSION } from '../../../services/family/events.js';
import { referralStatusAt } from '../../../services/family/decide-handoffs.js';
import { DomainError } from '../../../services/shared/domain-error.js';
import { command, country, date, PARTNER } from '../../support/family-fixtures.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

/**
 * Regression (issue 12, finding 4), for expiries already in the store: before inputs were
 * normalised, `expiresAt` was recorded as written, with its offset, and then compared with the
 * time as text. The projection writes access rows in UTC (its version went up, so a rebuild
 * rewrites old rows), the visibility SQL compares instants even for rows written before that,
 * and the decider judges a referral's expiry as an instant.
 */
const ISSUED = '2030-01-01T00:00:00.000Z';
/** The time of the reads: noon UTC on the day of the grants. */
const NOON = '2030-01-01T12:00:00.000Z';
/** 08:00 UTC, four hours before noon, though "20:00" sorts after "12:00". */
const PAST_AT_PLUS_12 = '2030-01-01T20:00:00+12:00';
/** 22:00 UTC, ten hours after noon, though "10:00" sorts before "12:00". */
const AHEAD_AT_MINUS_12 = '2030-01-01T10:00:00-12:00';
/** 14:00 UTC, two hours after noon, though "2030-01-02T04:00" sorts long after. */
const AHEAD_AT_PLUS_14 = '2030-01-02T04:00:00+14:00';

let h: ReadSideHarness;

/** Records a command through the decider without the entry checks, as the tracker did before (the partner's organisation exists). */
const recordAsWritten = (c: FamilyCommand) =>
  handleCommand(h.dependencies, familyDeciderIn(worldOf({ [PARTNER.organizationId]: [] })), {
    stream: familyStreamName(c.familyId),
    command: c,
    metadata: { actor: c.actor, occurredAt: c.occurredAt, recordedAt: c.issuedAt, commandType: c.type, correlationId: c.type, causationId: c.type },
  }, FAMILY_EVENT_SCHEMA_VERSION);

const openWithGrant = async (familyId: string, expiresAt: string) => {
  await h.execute(command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SIJ', issuedAt: ISSUED, occurredAt: ISSUED }));
  await h.execute(command('RegisterChild', { familyId, childId: 'c1', givenName: 'Ana', birthDate: date('2015-01-01'), birthDateEstimated: false, nationality: country('HN'), languages: [], needsInterpreter: false, issuedAt: ISSUED, occurredAt: ISSUED }));
  await h.execute(command('GiveConsent', { familyId, consentId: 'consent', personId: 'c1', purposes: ['access', 'legal'], recipientOrganizationIds: [PARTNER.organizationId], issuedAt: ISSUED, occurredAt: ISSUED }));
  await recordAsWritten(command('GrantAccess', { familyId, grantId: 'g', organizationId: PARTNER.organizationId, scope: 'FULL', expiresAt, issuedAt: ISSUED, occurredAt: ISSUED }));
};

const visibleToPartnerAt = (now: string): string[] =>
  [...new FamilyReadModel(new RequestQueries(new StatementCache(h.readDb)), PARTNER, now).familiesByIds(['past', 'ahead', 'ahead14']).keys()].sort();

beforeEach(async () => {
  h = openReadSideHarness();
  await openWithGrant('past', PAST_AT_PLUS_12);
  await openWithGrant('ahead', AHEAD_AT_MINUS_12);
  await openWithGrant('ahead14', AHEAD_AT_PLUS_14);
  await h.projector.catchUp();
});
afterEach(() => h.close());

describe('grants recorded with an offset', () => {
  it('the projection stores each expiry in UTC', () => {
    expect(h.rows("SELECT family_id, expires_at FROM family_access WHERE via = 'GRANT' ORDER BY family_id")).toEqual([
      { family_id: 'ahead', expires_at: '2030-01-01T22:00:00.000Z' },
      { family_id: 'ahead14', expires_at: '2030-01-01T14:00:00.000Z' },
      { family_id: 'past', expires_at: '2030-01-01T08:00:00.000Z' },
    ]);
  });

  it('at noon UTC the +12:00 grant has ended and the -12:00 and +14:00 grants hold; each ends at its own instant', () => {
    expect(visibleToPartnerAt(NOON)).toEqual(['ahead', 'ahead14']);
    expect(visibleToPartnerAt('2030-01-01T13:59:59.999Z')).toEqual(['ahead', 'ahead14']);
    expect(visibleToPartnerAt('2030-01-01T14:00:00.000Z')).toEqual(['ahead']);
    expect(visibleToPartnerAt('2030-01-01T21:59:59.999Z')).toEqual(['ahead']);
    expect(visibleToPartnerAt('2030-01-01T22:00:00.000Z')).toEqual([]);
  });

  it('rows still holding an offset (an older projection serving while the new one builds) are judged as instants too', () => {
    const access = `family_access__v${String(familiesProjection.version)}`;
    h.readDb.prepare(`UPDATE ${access} SET expires_at = ? WHERE family_id = ? AND via = 'GRANT'`).run(PAST_AT_PLUS_12, 'past');
    h.readDb.prepare(`UPDATE ${access} SET expires_at = ? WHERE family_id = ? AND via = 'GRANT'`).run(AHEAD_AT_MINUS_12, 'ahead');
    h.readDb.prepare(`UPDATE ${access} SET expires_at = ? WHERE family_id = ? AND via = 'GRANT'`).run('not a time', 'ahead14');
    // An expiry that cannot be read gives no access (fail closed).
    expect(visibleToPartnerAt(NOON)).toEqual(['ahead']);
  });
});

describe('a referral recorded with an offset', () => {
  const refer = (familyId: string, expiresAt: string) =>
    recordAsWritten(command('ReferFamily', { familyId, referralId: 'r', toOrganizationId: PARTNER.organizationId, purpose: 'legal', scope: 'FULL', expiresAt, issuedAt: ISSUED, occurredAt: ISSUED }));
  const accept = (familyId: string) =>
    h.execute(command('AcceptReferral', { familyId, referralId: 'r', actor: PARTNER, issuedAt: NOON, occurredAt: NOON }));

  it('is EXPIRED at noon when its +12:00 expiry was at 08:00 UTC: the partner can no longer answer it (nor see the family)', async () => {
    await refer('past', PAST_AT_PLUS_12);
    const referral = (await h.state('past')).referrals.get('r')!;
    expect(referralStatusAt(referral, NOON)).toBe('EXPIRED');
    expect(referralStatusAt(referral, '2030-01-01T07:59:59.999Z')).toBe('PENDING');
    const refused = await accept('past').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('can still be accepted at noon when its -12:00 expiry is at 22:00 UTC', async () => {
    await refer('ahead', AHEAD_AT_MINUS_12);
    expect(referralStatusAt((await h.state('ahead')).referrals.get('r')!, NOON)).toBe('PENDING');
    await expect(accept('ahead')).resolves.toMatchObject({ replayed: false });
  });
});
