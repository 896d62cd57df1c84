import { accessHolders } from '../../services/family/access-policy.js';
import { consentCovers, grantPurpose, referralPurpose, TRANSFER_PURPOSE } from '../../services/family/consent.js';
import type { FamilyState } from '../../services/family/state.js';
import type { CalendarDate } from '../../services/shared/calendar-date.js';
import type { DisclosureContext } from './allowlist.js';
import { disclose } from './disclose.js';

/**
 * Who the family is shared with beyond its lead, and whether a consent in force still covers
 * it (services/family/consent.ts): pending and accepted referrals, grants in force, a pending
 * transfer, read access kept by former leads (with its expiry; the new lead revokes it with
 * revokeFormerLeadAccess) and Defender assignments. `coveredByConsent` is null where consent
 * does not govern the access (a former lead held the file already; an assignment is the lead's
 * own work given out).
 */
export const sharingViews = (state: FamilyState, context: DisclosureContext, today: CalendarDate) => {
  const referrals = [...state.referrals.values()]
    .filter((referral) => referral.status === 'PENDING' || referral.status === 'ACCEPTED')
    .map((referral) => ({
      id: referral.referralId, organization: referral.toOrganizationId, via: 'REFERRAL', scope: referral.scope, status: referral.status,
      expiresAt: referral.expiresAt ?? null, coveredByConsent: consentCovers(state, referral.toOrganizationId, referralPurpose(state, referral.referralId), today),
    }));
  const grants = [...state.grants.values()]
    .filter((grant) => grant.active)
    .map((grant) => ({
      id: grant.grantId, organization: grant.organizationId, via: 'GRANT', scope: grant.scope, status: 'ACTIVE',
      expiresAt: grant.expiresAt ?? null, coveredByConsent: consentCovers(state, grant.organizationId, grantPurpose(state, grant.grantId), today),
    }));
  const others = accessHolders(state)
    .filter((holder) => holder.via === 'TRANSFER' || holder.via === 'FORMER_LEAD' || holder.via === 'ASSIGNMENT')
    .map((holder) => ({
      id: null, organization: holder.organizationId, via: holder.via, scope: holder.scope, status: holder.via === 'TRANSFER' ? 'PENDING' : 'ACTIVE',
      expiresAt: holder.expiresAt ?? null,
      coveredByConsent: holder.via === 'TRANSFER' ? consentCovers(state, holder.organizationId, TRANSFER_PURPOSE, today) : null,
    }));
  return [...referrals, ...grants, ...others].map((sharing) => disclose('Sharing', sharing, context));
};

/**
 * The work given to the reader's own organisation (a sought person, a document), with what it
 * needs to do it: the real ids its mutations take, the relationship and given name of the
 * person sought, the document's type and progress. Nothing else of the file; never a person
 * hidden from the reader's scope.
 */
type AssignmentFacts = {
  readonly kind: string;
  readonly subjectId: string;
  readonly relationship: string | null;
  readonly givenName: string | null;
  readonly documentType: string | null;
  readonly status: string;
};

export const assignmentViews = (state: FamilyState, context: DisclosureContext, organizationId: string) =>
  [...state.handoffs.assignments.values()]
    .filter((assignment) => assignment.organizationId === organizationId && !context.hidden.has(assignment.subjectId))
    .flatMap((assignment): AssignmentFacts[] => {
      if (assignment.kind === 'TRACING') {
        const relative = state.relatives.get(assignment.subjectId);
        return relative
          ? [{ kind: 'TRACING', subjectId: relative.relativeId, relationship: relative.relationship, givenName: relative.givenName ?? null, documentType: null, status: relative.location }]
          : [];
      }
      const document = state.documents.get(assignment.subjectId);
      return document
        ? [{ kind: 'DOCUMENT', subjectId: document.documentId, relationship: null, givenName: null, documentType: document.documentType, status: document.status }]
        : [];
    })
    .map((assignment) => disclose('Assignment', assignment, context));
