import { dateOf, type CalendarDate } from '../shared/calendar-date.js';
import { invalidTransition, known, rule } from '../shared/domain-error.js';
import { hasExpired } from '../shared/instant.js';
import type { FamilyCommandOf } from './commands.js';
import { withdrawConsent as recordWithdrawal } from './decide-intake.js';
import type { FamilyEvent } from './events.js';
import { GRANT_PURPOSE, TRANSFER_PURPOSE, type ConsentRecord } from './handoff-state.js';
import type { FamilyState } from './state.js';

/**
 * Consent governs sharing (docs/HANDOFFS.md). A referral, a grant or a transfer to another
 * organisation needs a consent in force that names that organisation among its recipients and
 * the sharing's purpose among its purposes (compared trimmed and case-insensitively): a
 * referral's own purpose, a grant's purpose (`access` when none is given), `transfer` for a
 * transfer. Any consent recorded on the family counts, whoever of the family gave it; the
 * tracker does not judge who may consent for whom. A consent is in force from when it was
 * recorded until it is withdrawn or its `expiresOn` day (UTC) has ended.
 *
 * On withdrawal: pending referrals and a pending transfer that no consent in force covers any
 * more are revoked / cancelled in the same step (nothing was handed over yet); accepted
 * referrals and grants are not ended silently: the lead decides (revoke, or record a new
 * consent), and until then the read model shows them as not covered (`Family.sharing`).
 */

const normal = (purpose: string): string => purpose.trim().toLowerCase();

export const consentInForce = (consent: ConsentRecord, on: CalendarDate): boolean =>
  !consent.withdrawn && (consent.expiresOn === undefined || on <= consent.expiresOn);

export const consentCovers = (state: FamilyState, organizationId: string, purpose: string, on: CalendarDate): boolean =>
  [...state.handoffs.consents.values()].some((consent) =>
    consentInForce(consent, on)
    && consent.recipientOrganizationIds.includes(organizationId)
    && consent.purposes.some((given) => normal(given) === normal(purpose)));

export type SharingKind = 'referral' | 'grant' | 'transfer';

/** Refuses a new sharing that no consent in force covers. */
export const requireConsent = (state: FamilyState, kind: SharingKind, organizationId: string, purpose: string, at: string): void => {
  if (!consentCovers(state, organizationId, purpose, dateOf(at))) {
    throw invalidTransition(rule`Cannot share the family (${known(kind)}): no consent in force covers that organisation for that purpose`);
  }
};

export const referralPurpose = (state: FamilyState, referralId: string): string => state.handoffs.sharingPurposes.get(`REFERRAL:${referralId}`) ?? '';
export const grantPurpose = (state: FamilyState, grantId: string): string => state.handoffs.sharingPurposes.get(`GRANT:${grantId}`) ?? GRANT_PURPOSE;
export { TRANSFER_PURPOSE };

/** Withdraws the consent, and ends the pending hand-offs that nothing covers any more. */
export const withdrawConsent = (c: FamilyCommandOf<'WithdrawConsent'>, s: FamilyState): FamilyEvent[] => {
  const withdrawal = recordWithdrawal(c, s);
  const consent = s.handoffs.consents.get(c.consentId);
  if (!consent) return withdrawal;
  const after: FamilyState = { ...s, handoffs: { ...s.handoffs, consents: new Map(s.handoffs.consents).set(consent.consentId, { ...consent, withdrawn: true }) } };
  const on = dateOf(c.issuedAt);
  const revoked: FamilyEvent[] = [...s.referrals.values()]
    .filter((referral) => referral.status === 'PENDING' && (referral.expiresAt === undefined || !hasExpired(referral.expiresAt, c.issuedAt)))
    .filter((referral) => consentCovers(s, referral.toOrganizationId, referralPurpose(s, referral.referralId), on))
    .filter((referral) => !consentCovers(after, referral.toOrganizationId, referralPurpose(s, referral.referralId), on))
    .map((referral) => ({ type: 'ReferralRevoked', data: { referralId: referral.referralId } }));
  const transfer = s.pendingTransfer;
  const cancelled: FamilyEvent[] = transfer
    && consentCovers(s, transfer.toOrganizationId, TRANSFER_PURPOSE, on) && !consentCovers(after, transfer.toOrganizationId, TRANSFER_PURPOSE, on)
    ? [{ type: 'FamilyTransferCancelled', data: { toOrganizationId: transfer.toOrganizationId } }]
    : [];
  return [...withdrawal, ...revoked, ...cancelled];
};
