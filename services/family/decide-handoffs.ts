import { DomainError, badInput, invalidTransition } from '../shared/domain-error.js';
import { hasExpired } from '../shared/instant.js';
import type { FamilyCommandOf, FamilyCommandType } from './commands.js';
import type { FamilyEvent } from './events.js';
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
  const referral = existing(s.referrals, referralId, 'referralId', 'referral');
  requireTransition(REFERRAL, type, referralStatusAt(referral, at), `referral ${referralId}`);
  return referral;
};

const forbidden = (message: string): DomainError => new DomainError('FORBIDDEN', message);

export const referFamily = (c: FamilyCommandOf<'ReferFamily'>, s: FamilyState): FamilyEvent[] => {
  requireNew(s.referrals, c.referralId, 'referralId', 'referral');
  if (c.toOrganizationId === s.leadOrganizationId) throw badInput('toOrganizationId', 'a family cannot be referred to its own lead organisation');
  if (c.expiresAt !== undefined && hasExpired(c.expiresAt, c.issuedAt)) throw badInput('expiresAt', 'expiresAt must be in the future');
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
    throw forbidden(`Only the receiving organisation can answer referral ${c.referralId}`);
  }
  return referral;
};

export const acceptReferral = (c: FamilyCommandOf<'AcceptReferral'>, s: FamilyState): FamilyEvent[] => {
  respond(c, s);
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
  requireNew(s.grants, c.grantId, 'grantId', 'access grant');
  if (c.organizationId === s.leadOrganizationId) throw badInput('organizationId', 'the lead organisation already has full access');
  if (c.expiresAt !== undefined && hasExpired(c.expiresAt, c.issuedAt)) throw badInput('expiresAt', 'expiresAt must be in the future');
  return [{ type: 'AccessGranted', data: { grantId: c.grantId, organizationId: c.organizationId, scope: c.scope, ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}) } }];
};

export const revokeAccess = (c: FamilyCommandOf<'RevokeAccess'>, s: FamilyState): FamilyEvent[] => {
  const grant = existing(s.grants, c.grantId, 'grantId', 'access grant');
  if (!grant.active) throw invalidTransition(`Cannot revoke access: grant ${c.grantId} is REVOKED`);
  return [{ type: 'AccessRevoked', data: { grantId: c.grantId } }];
};

/**
 * A transfer is proposed by the lead and takes effect when the receiving organisation accepts
 * it; one at a time. Open deadlines, documents and matters stay in the stream and so move with it.
 */
export const transferFamily = (c: FamilyCommandOf<'TransferFamily'>, s: FamilyState): FamilyEvent[] => {
  if (c.toOrganizationId === s.leadOrganizationId) {
    throw invalidTransition('Cannot transfer family: that organisation already leads it');
  }
  if (s.pendingTransfer) throw invalidTransition('Cannot transfer family: a transfer is already waiting for an answer (cancel it first)');
  return [{
    type: 'FamilyTransferProposed',
    data: { fromOrganizationId: s.leadOrganizationId, toOrganizationId: c.toOrganizationId, previousLeadKeepsReadAccess: c.previousLeadKeepsReadAccess },
  }];
};

const pendingTransfer = (s: FamilyState, type: FamilyCommandType) => {
  if (!s.pendingTransfer) throw invalidTransition(`Cannot ${type === 'AcceptTransfer' ? 'accept' : type === 'DeclineTransfer' ? 'decline' : 'cancel'} a transfer: none is waiting for an answer`);
  return s.pendingTransfer;
};

export const acceptTransfer = (c: FamilyCommandOf<'AcceptTransfer'>, s: FamilyState): FamilyEvent[] => {
  const transfer = pendingTransfer(s, c.type);
  return [{
    type: 'FamilyTransferred',
    data: { fromOrganizationId: s.leadOrganizationId, toOrganizationId: transfer.toOrganizationId, previousLeadKeepsReadAccess: transfer.previousLeadKeepsReadAccess },
  }];
};

export const declineTransfer = (c: FamilyCommandOf<'DeclineTransfer'>, s: FamilyState): FamilyEvent[] =>
  [{ type: 'FamilyTransferDeclined', data: { toOrganizationId: pendingTransfer(s, c.type).toOrganizationId } }];

export const cancelTransfer = (c: FamilyCommandOf<'CancelTransfer'>, s: FamilyState): FamilyEvent[] =>
  [{ type: 'FamilyTransferCancelled', data: { toOrganizationId: pendingTransfer(s, c.type).toOrganizationId } }];

export const suspendService = (c: FamilyCommandOf<'SuspendService'>, s: FamilyState): FamilyEvent[] => {
  if (s.lifecycle !== 'OPEN') throw invalidTransition(`Cannot suspend service: family is ${s.lifecycle}`);
  return [{ type: 'ServiceSuspended', data: { reason: c.reason } }];
};

export const resumeService = (_c: FamilyCommandOf<'ResumeService'>, s: FamilyState): FamilyEvent[] => {
  if (s.lifecycle !== 'SUSPENDED') throw invalidTransition(`Cannot resume service: family is ${s.lifecycle}`);
  return [{ type: 'ServiceResumed', data: {} }];
};
