import { describe, expect, it } from 'vitest';
import {
  ADVOCATE, PARTNER, childRegistered, closed, consented, country, date, event, given, located, opened, referred, rejected, relativeAdded, suspended, tracingStarted, when,
} from '../../../support/family-fixtures.js';

describe('family decider: hand-offs', () => {
  const state = given(opened, childRegistered(), consented());
  it('refers a family with a scope and an expiry', () => {
    expect(when(state, 'ReferFamily', { referralId: 'ref-1', toOrganizationId: 'org-b', purpose: 'tracing', scope: 'DOCUMENTS', expiresAt: '2024-07-01T00:00:00.000Z' })).toEqual([
      { type: 'FamilyReferred', data: { referralId: 'ref-1', fromOrganizationId: 'org-a', toOrganizationId: 'org-b', purpose: 'tracing', scope: 'DOCUMENTS', expiresAt: '2024-07-01T00:00:00.000Z' } },
    ]);
    rejected(state, 'ReferFamily', { referralId: 'ref-1', toOrganizationId: 'org-a', purpose: 'x', scope: 'FULL' }, 'BAD_USER_INPUT', undefined, 'toOrganizationId');
    rejected(state, 'ReferFamily', { referralId: 'ref-1', toOrganizationId: 'org-b', purpose: 'x', scope: 'FULL', expiresAt: '2024-01-01T00:00:00.000Z' }, 'BAD_USER_INPUT', undefined, 'expiresAt');
  });
  it('lets only the receiving organisation answer an open referral', () => {
    const pending = given(opened, consented(), referred());
    expect(when(pending, 'AcceptReferral', { referralId: 'ref-1', actor: PARTNER })).toEqual([{ type: 'ReferralAccepted', data: { referralId: 'ref-1' } }]);
    expect(when(pending, 'DeclineReferral', { referralId: 'ref-1', actor: PARTNER })[0]?.type).toBe('ReferralDeclined');
    rejected(pending, 'AcceptReferral', { referralId: 'ref-1', actor: ADVOCATE }, 'FORBIDDEN', /receiving organisation/);
    const accepted = given(opened, referred(), event('ReferralAccepted', { referralId: 'ref-1' }));
    rejected(accepted, 'DeclineReferral', { referralId: 'ref-1', actor: PARTNER }, 'INVALID_TRANSITION', /ACCEPTED/);
    rejected(pending, 'AcceptReferral', { referralId: 'ref-9', actor: PARTNER }, 'NOT_FOUND', undefined, 'referralId');
  });
  it('treats a referral past its expiry as EXPIRED', () => {
    const expiring = given(opened, referred('ref-1', '2024-05-01T00:00:00.000Z'));
    rejected(expiring, 'AcceptReferral', { referralId: 'ref-1', actor: PARTNER }, 'INVALID_TRANSITION', /EXPIRED/);
  });
  it('revokes a pending or accepted referral, not a revoked one', () => {
    expect(when(given(opened, referred()), 'RevokeReferral', { referralId: 'ref-1' })[0]?.type).toBe('ReferralRevoked');
    rejected(given(opened, referred(), event('ReferralRevoked', { referralId: 'ref-1' })), 'RevokeReferral', { referralId: 'ref-1' }, 'INVALID_TRANSITION', /REVOKED/);
  });
  it('proposes a transfer; the lead moves only when the receiving organisation accepts it', () => {
    const proposed = event('FamilyTransferProposed', { fromOrganizationId: 'org-a', toOrganizationId: 'org-nc', previousLeadKeepsReadAccess: true });
    expect(when(state, 'TransferFamily', { toOrganizationId: 'org-nc', previousLeadKeepsReadAccess: true })).toEqual([proposed]);
    rejected(state, 'TransferFamily', { toOrganizationId: 'org-a', previousLeadKeepsReadAccess: false }, 'INVALID_TRANSITION', /already leads/);
    const waiting = given(opened, childRegistered(), consented(), proposed);
    rejected(waiting, 'TransferFamily', { toOrganizationId: 'org-x', previousLeadKeepsReadAccess: false }, 'INVALID_TRANSITION', /already waiting/);
    expect(when(waiting, 'AcceptTransfer', {})).toEqual([
      // Kept read access ends after the documented default (30 days) unless the transfer said when.
      { type: 'FamilyTransferred', data: { fromOrganizationId: 'org-a', toOrganizationId: 'org-nc', previousLeadKeepsReadAccess: true, previousLeadReadAccessUntil: '2024-07-01T12:00:00.000Z' } },
    ]);
    expect(when(waiting, 'DeclineTransfer', {})).toEqual([{ type: 'FamilyTransferDeclined', data: { toOrganizationId: 'org-nc' } }]);
    expect(when(waiting, 'CancelTransfer', {})).toEqual([{ type: 'FamilyTransferCancelled', data: { toOrganizationId: 'org-nc' } }]);
    rejected(state, 'AcceptTransfer', {}, 'INVALID_TRANSITION', /none is waiting/);
  });
});

describe('family decider: lifecycle', () => {
  it('while suspended accepts only unavoidable work, and says so', () => {
    const paused = given(opened, childRegistered(), relativeAdded(), suspended);
    rejected(paused, 'TransferFamily', { toOrganizationId: 'org-nc', previousLeadKeepsReadAccess: false }, 'INVALID_TRANSITION', /SUSPENDED.*not unavoidable work/);
    rejected(paused, 'StartTracing', { relativeId: 'father-1', defenderOrganizationId: 'org-hn' }, 'INVALID_TRANSITION', /SUSPENDED/);
    expect(when(paused, 'RecordChildDetained', { childId: 'child-1', agency: 'ORR', detainedOn: date('2024-05-01') })).toHaveLength(1);
    expect(when(paused, 'ResumeService', {})).toEqual([{ type: 'ServiceResumed', data: {} }]);
    rejected(given(opened), 'ResumeService', {}, 'INVALID_TRANSITION', /OPEN/);
  });
  it('a closed case accepts only reopening', () => {
    const done = given(opened, childRegistered(), closed);
    rejected(done, 'RecordFollowUp', { childId: 'child-1' }, 'INVALID_TRANSITION', /CLOSED: only reopening/);
    rejected(done, 'CloseFamilyCase', { reason: 'OTHER' }, 'INVALID_TRANSITION');
    expect(when(done, 'ReopenFamilyCase', { reason: 'new information' })).toEqual([{ type: 'FamilyCaseReopened', data: { personal: { subjectId: 'case:notes', reason: 'new information' } } }]);
    rejected(given(opened), 'ReopenFamilyCase', { reason: 'x' }, 'INVALID_TRANSITION');
  });
});

describe('family decider: outcome', () => {
  const found = given(opened, childRegistered(), relativeAdded(), tracingStarted(), located());
  it('plans and records a reunification with a located adult', () => {
    expect(when(found, 'PlanReunification', { childId: 'child-1', relativeId: 'father-1' })[0]?.type).toBe('ReunificationPlanned');
    expect(when(found, 'RecordReunification', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2024-05-30'), country: country('US'), place: 'New York' })[0]).toMatchObject({
      type: 'ReunificationCompleted', data: { country: 'US', personal: { subjectId: 'child-1', place: 'New York' } },
    });
  });
  it('needs both the child and the adult, who must be found and not adverse', () => {
    rejected(found, 'RecordReunification', { childId: 'ghost', relativeId: 'father-1', reunifiedOn: date('2024-05-30'), country: country('US') }, 'NOT_FOUND', undefined, 'childId');
    rejected(found, 'RecordReunification', { childId: 'child-1', relativeId: 'ghost', reunifiedOn: date('2024-05-30'), country: country('US') }, 'NOT_FOUND', undefined, 'relativeId');
    const stillSought = given(opened, childRegistered(), relativeAdded(), tracingStarted());
    rejected(stillSought, 'RecordReunification', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2024-05-30'), country: country('US') }, 'INVALID_TRANSITION', /TRACING/);
    const adverse = given(opened, childRegistered(), relativeAdded('abuser', 'FATHER', true));
    rejected(adverse, 'PlanReunification', { childId: 'child-1', relativeId: 'abuser' }, 'INVALID_TRANSITION', /adverse/);
  });
  it('does not reunify a child twice', () => {
    const reunited = given(opened, childRegistered(), relativeAdded(), event('ReunificationCompleted', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2024-05-30'), country: country('US') }));
    rejected(reunited, 'RecordReunification', { childId: 'child-1', relativeId: 'father-1', reunifiedOn: date('2024-05-31'), country: country('US') }, 'INVALID_TRANSITION', /REUNIFIED/);
  });
  it('records failures and follow-ups, and closes the case', () => {
    expect(when(found, 'RecordReunificationFailed', { childId: 'child-1', relativeId: 'father-1', reason: 'home study failed' })[0]?.type).toBe('ReunificationFailed');
    expect(when(found, 'RecordFollowUp', { childId: 'child-1', note: 'doing well' })[0]).toMatchObject({ data: { personal: { note: 'doing well' } } });
    expect(when(found, 'CloseFamilyCase', { reason: 'REUNIFIED_FOLLOW_UP_DONE' })).toEqual([{ type: 'FamilyCaseClosed', data: { reason: 'REUNIFIED_FOLLOW_UP_DONE' } }]);
  });
});

describe('family decider: access grants and relationships', () => {
  const state = given(opened, childRegistered(), relativeAdded());
  it('grants and revokes access directly', () => {
    const consenting = given(opened, childRegistered(), consented(['org-auditor'], ['access']));
    expect(when(consenting, 'GrantAccess', { grantId: 'g-1', organizationId: 'org-auditor', scope: 'STATUS' })).toEqual([
      { type: 'AccessGranted', data: { grantId: 'g-1', organizationId: 'org-auditor', scope: 'STATUS', purpose: 'access' } },
    ]);
    rejected(state, 'GrantAccess', { grantId: 'g-1', organizationId: 'org-a', scope: 'FULL' }, 'BAD_USER_INPUT', undefined, 'organizationId');
    const granted = given(opened, event('AccessGranted', { grantId: 'g-1', organizationId: 'org-x', scope: 'FULL' }));
    expect(when(granted, 'RevokeAccess', { grantId: 'g-1' })).toEqual([{ type: 'AccessRevoked', data: { grantId: 'g-1' } }]);
    rejected(given(opened, event('AccessGranted', { grantId: 'g-1', organizationId: 'org-x', scope: 'FULL' }), event('AccessRevoked', { grantId: 'g-1' })), 'RevokeAccess', { grantId: 'g-1' }, 'INVALID_TRANSITION', /REVOKED/);
    rejected(state, 'RevokeAccess', { grantId: 'g-9' }, 'NOT_FOUND', undefined, 'grantId');
  });
  it('records how a relative is related to a particular child', () => {
    expect(when(state, 'RecordRelationship', { relativeId: 'father-1', childId: 'child-1', relationship: 'STEPFATHER', biological: false })).toEqual([
      { type: 'RelationshipRecorded', data: { relativeId: 'father-1', childId: 'child-1', relationship: 'STEPFATHER', biological: false } },
    ]);
    rejected(state, 'RecordRelationship', { relativeId: 'father-1', childId: 'ghost', relationship: 'FATHER', biological: true }, 'NOT_FOUND', undefined, 'childId');
  });
});
