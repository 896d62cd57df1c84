import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProbeWorld, type ProbeWorld } from '../../support/probe-world.js';

/**
 * Finding (s5-probe), severity MEDIUM: a consent can be recorded as given by a relative recorded
 * as DECEASED, and it then authorises sharing the family with another organisation. A dead
 * person gives no consent; the tracker already refuses one for an erased person, but not this.
 * Rule: issue 14 item 3 (sharing needs a consent in force, the person's word: HANDOFFS.md) and
 * DOMAIN.md (a relative is alive, deceased or unknown); the decider rejects impossible steps
 * (tracing or a reunification with a deceased relative are refused as INVALID_TRANSITION).
 */
let world: ProbeWorld;
beforeAll(async () => {
  world = await startProbeWorld(['lead', 'partner']);
});
afterAll(async () => world?.stop());

describe('a consent given in the name of a deceased relative', () => {
  it('is refused, and so does not let the lead share the family', async () => {
    const familyId = (await world.ok('lead', 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id;
    await world.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: 'Ana', birthDate: '2012-01-01', nationality: 'SV' });
    await world.ok('lead', 'addRelative', { familyId, relativeId: 'father', relationship: 'FATHER', givenName: 'Mario', vitalStatus: 'DECEASED' });
    const consent = await world.errorOf('lead', 'giveConsent', { familyId, consentId: 'from-the-dead', personId: 'father', purposes: ['tracing'], recipientOrganizationIds: ['partner'] });
    const referral = await world.errorOf('lead', 'referFamily', { familyId, referralId: 'ref', toOrganizationId: 'partner', purpose: 'tracing', scope: 'FULL' });
    expect({ consent: consent?.extensions.code, referral: referral?.extensions.code }).toEqual({ consent: 'INVALID_TRANSITION', referral: 'INVALID_TRANSITION' });
  });
});
