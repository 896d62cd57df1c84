import { CASE_SUBJECT_ID } from '../shared/case-subject.js';
import { badInput, forbidden, invalidTransition, known, notFound, rule } from '../shared/domain-error.js';
import { hasExpired } from '../shared/instant.js';
import type { FamilyCommandOf, FamilyCommandType } from './commands.js';
import type { FamilyEvent } from './events.js';
import { referralPurpose, requireConsent, TRANSFER_PURPOSE } from './consent.js';
import { GRANT_PURPOSE } from './handoff-state.js';
import { existing, requireNew, requireTransition } from './lookups.js';
import type { FamilyState, ReferralState, ReferralStatus } from './state.js';
import { REFERRAL } from './transitions.js';

/**
 * A pending or accepted referral whose expiry has passed counts as EXPIRED. Compared as instants:
 * an expiry recorded with an offset (before inputs were normalised) is judged at its real time.
 */
export const referralStatusAt = (referral: ReferralState, at: string): ReferralStatus | 'EXPIRED' =>
  (referral.status === 'PENDING' || referral.status === 'ACCEPTED') && referral.expiresAt !== undefined && hasExpired(referral.expiresAt, at)
    ? 'EXPIRED'
    : referral.status;

const referralStep = (s: FamilyState, type: FamilyCommandType, referralId: string, at: string): ReferralState => {
  const referral = existing(s.referrals, referralId, 'referralId', rule`referral`);
  requireTransition(REFERRAL, type, referralStatusAt(referral, at), rule`the referral`);
  return referral;
};

export const referFamily = (c: FamilyCommandOf<'ReferFamily'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.referrals, c.referralId, 'referralId', rule`referral`);
  if (c.toOrganizationId === s.leadOrganizationId) throw badInput('toOrganizationId', rule`must not be the family's lead organisation`);
  if (c.expiresAt !== undefined && hasExpired(c.expiresAt, c.issuedAt)) throw badInput('expiresAt', rule`must be in the future`);
  requireConsent(s, 'referral', c.toOrganizationId, c.purpose, c.issuedAt);
  return [{
    type: 'FamilyReferred',
    data: {
      referralId: c.referralId, fromOrganizationId: c.actor.organizationId, toOrganizationId: c.toOrganizationId, purpose: c.purpose, scope: c.scope,
      ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}), ...(c.acknowledgeBy ? { acknowledgeBy: c.acknowledgeBy } : {}),
    },
  }];
};

/** Only the receiving organisation answers a referral. */
const respond = (c: FamilyCommandOf<'AcceptReferral' | 'DeclineReferral'>, s: FamilyState): ReferralState => {
  const referral = referralStep(s, c.type, c.referralId, c.issuedAt);
  if (c.actor.organizationId !== referral.toOrganizationId) {
    throw forbidden(rule`Only the receiving organisation can answer the referral`);
  }
  return referral;
};

export const acceptReferral = (c: FamilyCommandOf<'AcceptReferral'>, s: FamilyState): FamilyEvent[] => {
  const referral = respond(c, s);
  // The consent may have expired since the referral was made.
  requireConsent(s, 'referral', referral.toOrganizationId, referralPurpose(s, referral.referralId), c.issuedAt);
  return [{ type: 'ReferralAccepted', data: { referralId: c.referralId } }];
};

export const declineReferral = (c: FamilyCommandOf<'DeclineReferral'>, s: FamilyState): FamilyEvent[] => {
  respond(c, s);
  return [{ type: 'ReferralDeclined', data: { referralId: c.referralId } }];
};

export const revokeReferral = (c: FamilyCommandOf<'RevokeReferral'>, s: FamilyState): FamilyEvent[] => {
  referralStep(s, c.type, c.referralId, c.issuedAt);
  return [{ type: 'ReferralRevoked', data: { referralId: c.referralId } }];
};

/** A direct grant of access to another organisation (outside a referral), revocable at once. */
export const grantAccess = (c: FamilyCommandOf<'GrantAccess'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.grants, c.grantId, 'grantId', rule`access grant`);
  if (c.organizationId === s.leadOrganizationId) throw badInput('organizationId', rule`must not be the family's lead organisation (it has full access)`);
  if (c.expiresAt !== undefined && hasExpired(c.expiresAt, c.issuedAt)) throw badInput('expiresAt', rule`must be in the future`);
  const purpose = c.purpose ?? GRANT_PURPOSE;
  requireConsent(s, 'grant', c.organizationId, purpose, c.issuedAt);
  return [{ type: 'AccessGranted', data: { grantId: c.grantId, organizationId: c.organizationId, scope: c.scope, ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}), purpose } }];
};

export const revokeAccess = (c: FamilyCommandOf<'RevokeAccess'>, s: FamilyState): FamilyEvent[] => {
  const grant = existing(s.grants, c.grantId, 'grantId', rule`access grant`);
  if (!grant.active) throw invalidTransition(rule`Cannot revoke access: the grant is REVOKED`);
  return [{ type: 'AccessRevoked', data: { grantId: c.grantId } }];
};

/**
 * A transfer is proposed by the lead and takes effect when the receiving organisation accepts
 * it; one at a time. Open deadlines, documents and matters stay in the stream and so move with it.
 */
export const transferFamily = (c: FamilyCommandOf<'TransferFamily'>, s: FamilyState): FamilyEvent[] => {
  if (c.toOrganizationId === s.leadOrganizationId) {
    throw invalidTransition(rule`Cannot transfer family: that organisation already leads it`);
  }
  if (s.pendingTransfer) throw invalidTransition(rule`Cannot transfer family: a transfer is already waiting for an answer (cancel it first)`);
  if (c.previousLeadReadAccessUntil !== undefined) {
    if (!c.previousLeadKeepsReadAccess) throw badInput('previousLeadReadAccessUntil', rule`needs previousLeadKeepsReadAccess`);
    if (hasExpired(c.previousLeadReadAccessUntil, c.issuedAt)) throw badInput('previousLeadReadAccessUntil', rule`must be in the future`);
  }
  requireConsent(s, 'transfer', c.toOrganizationId, TRANSFER_PURPOSE, c.issuedAt);
  return [{
    type: 'FamilyTransferProposed',
    data: {
      fromOrganizationId: s.leadOrganizationId, toOrganizationId: c.toOrganizationId, previousLeadKeepsReadAccess: c.previousLeadKeepsReadAccess,
      ...(c.previousLeadReadAccessUntil === undefined ? {} : { previousLeadReadAccessUntil: c.previousLeadReadAccessUntil }),
    },
  }];
};

const pendingTransfer = (s: FamilyState, type: FamilyCommandType) => {
  if (!s.pendingTransfer) throw invalidTransition(rule`Cannot ${known(type === 'AcceptTransfer' ? 'accept' : type === 'DeclineTransfer' ? 'decline' : 'cancel')} a transfer: none is waiting for an answer`);
  return s.pendingTransfer;
};

/** How long a former lead keeps read access after a transfer, unless the transfer says otherwise. */
export const DEFAULT_FORMER_LEAD_READ_ACCESS_DAYS = 30;
const DAY_MS = 86_400_000;

export const acceptTransfer = (c: FamilyCommandOf<'AcceptTransfer'>, s: FamilyState): FamilyEvent[] => {
  const transfer = pendingTransfer(s, c.type);
  requireConsent(s, 'transfer', transfer.toOrganizationId, TRANSFER_PURPOSE, c.issuedAt);
  const until = transfer.previousLeadReadAccessUntil
    ?? new Date(Date.parse(c.issuedAt) + DEFAULT_FORMER_LEAD_READ_ACCESS_DAYS * DAY_MS).toISOString();
  return [{
    type: 'FamilyTransferred',
    data: {
      fromOrganizationId: s.leadOrganizationId, toOrganizationId: transfer.toOrganizationId, previousLeadKeepsReadAccess: transfer.previousLeadKeepsReadAccess,
      ...(transfer.previousLeadKeepsReadAccess ? { previousLeadReadAccessUntil: until } : {}),
    },
  }];
};

/** The new lead ends the read access a former lead kept (before its expiry). */
export const revokeFormerLeadAccess = (c: FamilyCommandOf<'RevokeFormerLeadAccess'>, s: FamilyState): FamilyEvent[] => {
  const until = s.handoffs.formerLeadAccessUntil.get(c.organizationId);
  const kept = s.formerLeadsWithReadAccess.has(c.organizationId) && (until === undefined || !hasExpired(until, c.issuedAt));
  if (!kept) throw notFound('organizationId', rule`former lead with read access in force`);
  return [{ type: 'FormerLeadAccessRevoked', data: { organizationId: c.organizationId } }];
};

export const declineTransfer = (c: FamilyCommandOf<'DeclineTransfer'>, s: FamilyState): FamilyEvent[] =>
  [{ type: 'FamilyTransferDeclined', data: { toOrganizationId: pendingTransfer(s, c.type).toOrganizationId } }];

export const cancelTransfer = (c: FamilyCommandOf<'CancelTransfer'>, s: FamilyState): FamilyEvent[] =>
  [{ type: 'FamilyTransferCancelled', data: { toOrganizationId: pendingTransfer(s, c.type).toOrganizationId } }];

export const suspendService = (c: FamilyCommandOf<'SuspendService'>, s: FamilyState): FamilyEvent[] => {
  if (s.lifecycle !== 'OPEN') throw invalidTransition(rule`Cannot suspend service: family is ${known(s.lifecycle)}`);
  return [{ type: 'ServiceSuspended', data: { personal: { subjectId: CASE_SUBJECT_ID, reason: c.reason } } }];
};

export const resumeService = (_c: FamilyCommandOf<'ResumeService'>, s: FamilyState): FamilyEvent[] => {
  if (s.lifecycle !== 'SUSPENDED') throw invalidTransition(rule`Cannot resume service: family is ${known(s.lifecycle)}`);
  return [{ type: 'ServiceResumed', data: {} }];
};
