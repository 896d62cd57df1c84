import type { CountryCode } from '../shared/countries.js';
import type { Actor, Decider, DomainEvent } from '../shared/decider.js';
import { assertNever } from '../shared/decider.js';
import { badInput, conflict, invalidTransition, notFound, rule } from '../shared/domain-error.js';
import { ORGANIZATION_SUBJECT_ID } from '../shared/case-subject.js';
import type { Personal } from '../shared/personal-data.js';
import { evolveStopWorkOrders, liftStopWorkOrder, recordStopWorkOrder, type RecordStopWorkOrderFields, type StopWorkOrder, type StopWorkOrderEvent } from './stop-work-orders.js';

/**
 * The organisation aggregate: who belongs to an organisation, with which role, and which API
 * keys act for them. Keys are stored only as SHA-256 hashes; the key itself is shown once by
 * the API and never reaches an event. An organisation may appoint other organisations as its
 * auditors (their AUDITOR keys then see the status and history of the families it leads) and
 * register webhooks (each with its signing secret, kept in the event for the dispatcher), and
 * the system administrator may deactivate an organisation: every key of it stops working.
 */

/** The organisation that runs the system; its administrators register organisations, its auditors audit every family. */
export const SYSTEM_ORGANIZATION_ID = 'system';

export const ROLES = ['ADMIN', 'ADVOCATE', 'AUDITOR', 'PARTNER'] as const;
export type Role = (typeof ROLES)[number];
export const ORGANIZATION_KINDS = ['LEGAL_SERVICE_PROVIDER', 'DEFENDER', 'PARTNER_NGO', 'FUNDER', 'AUDITOR', 'SYSTEM'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

type E<Type extends string, Data> = DomainEvent<Type, Data>;
export type OrganizationEvent =
  | E<'OrganizationRegistered', { organizationId: string; name: string; kind: OrganizationKind; countries: readonly CountryCode[] }>
  | E<'MemberAdded', { userId: string; role: Role; personal: Personal<{ name: string; email?: string }> }>
  | E<'MemberRoleChanged', { userId: string; role: Role }>
  | E<'MemberRemoved', { userId: string }>
  | E<'ApiKeyIssued', { keyId: string; userId: string; role: Role; keyHash: string; label: string }>
  | E<'ApiKeyRevoked', { keyId: string }>
  | E<'AuditorAppointed', { auditorOrganizationId: string }>
  | E<'AuditorDismissed', { auditorOrganizationId: string }>
  /** The reason is free text: sealed under the organisation's notes subject (version 2; version 1 kept `reason` in the clear, read by nothing). */
  | E<'OrganizationDeactivated', { personal: Personal<{ reason: string }> }>
  /** The signing secret is kept here, as the dispatcher needs it to sign; it is never personal data. */
  | E<'WebhookRegistered', { webhookId: string; url: string; secret: string }>
  | E<'WebhookSecretRotated', { webhookId: string; secret: string }>
  | E<'WebhookRemoved', { webhookId: string }>
  | StopWorkOrderEvent;

interface Base { readonly organizationId: string; readonly actor: Actor; readonly issuedAt: string }
export interface NewMember { readonly role: Role; readonly name: string; readonly email?: string }
type C<Type extends string, Fields> = { readonly type: Type } & Base & Readonly<Fields>;
export type OrganizationCommand =
  | C<'RegisterOrganization', { name: string; kind: OrganizationKind; countries: readonly CountryCode[] }>
  | C<'AddMember', { userId: string; role: Role; name: string; email?: string }>
  | C<'ChangeMemberRole', { userId: string; role: Role }>
  | C<'RemoveMember', { userId: string }>
  /** With `asNewMember`, a user who is not yet a member is added in the same step; a member keeps their role. */
  | C<'IssueApiKey', { keyId: string; userId: string; keyHash: string; label: string; asNewMember?: NewMember }>
  | C<'RevokeApiKey', { keyId: string }>
  | C<'AppointAuditor', { auditorOrganizationId: string }>
  | C<'DismissAuditor', { auditorOrganizationId: string }>
  | C<'DeactivateOrganization', { reason: string }>
  | C<'RegisterWebhook', { webhookId: string; url: string; secret: string }>
  | C<'RotateWebhookSecret', { webhookId: string; secret: string }>
  | C<'RemoveWebhook', { webhookId: string }>
  /** A funder's stop-work order over one programme of this organisation (services/organization/stop-work-orders.ts). */
  | C<'RecordStopWorkOrder', RecordStopWorkOrderFields>
  | C<'LiftStopWorkOrder', { orderId: string }>;

export interface ApiKeyState { readonly keyId: string; readonly userId: string; readonly role: Role; readonly keyHash: string; readonly active: boolean }
export interface OrganizationState {
  readonly exists: boolean;
  readonly organizationId: string;
  readonly kind: OrganizationKind | undefined;
  readonly members: ReadonlyMap<string, Role>;
  readonly keys: ReadonlyMap<string, ApiKeyState>;
  readonly auditors: ReadonlySet<string>;
  readonly active: boolean;
  readonly webhooks: ReadonlySet<string>;
  /** Stop-work orders in force, by order id. */
  readonly stopWorkOrders: ReadonlyMap<string, StopWorkOrder>;
}

export const initialOrganizationState: OrganizationState = {
  exists: false,
  organizationId: '',
  kind: undefined,
  members: new Map(),
  keys: new Map(),
  auditors: new Set(),
  active: false,
  webhooks: new Set(),
  stopWorkOrders: new Map(),
};

const WEBHOOK_URL = /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/;
const MAX_WEBHOOKS = 10;
const SECRET = /^whsec_[A-Za-z0-9_-]{32,}$/;

const KEY_HASH = /^[0-9a-f]{64}$/;

const member = (s: OrganizationState, userId: string): Role => {
  const role = s.members.get(userId);
  if (role === undefined) throw notFound('userId', rule`member`);
  return role;
};

const activeKey = (s: OrganizationState, keyId: string): ApiKeyState => {
  const key = s.keys.get(keyId);
  if (!key) throw notFound('keyId', rule`API key`);
  if (!key.active) throw invalidTransition(rule`Cannot revoke the API key: it is REVOKED`);
  return key;
};

const memberAdded = (userId: string, joining: NewMember): OrganizationEvent => ({
  type: 'MemberAdded',
  data: { userId, role: joining.role, personal: { subjectId: userId, name: joining.name, ...(joining.email ? { email: joining.email } : {}) } },
});

export const decideOrganization = (c: OrganizationCommand, s: OrganizationState): OrganizationEvent[] => {
  if (c.type === 'RegisterOrganization') {
    if (s.exists) throw conflict(rule`The organisation already exists`);
    return [{ type: 'OrganizationRegistered', data: { organizationId: c.organizationId, name: c.name, kind: c.kind, countries: c.countries } }];
  }
  if (!s.exists) throw notFound('organizationId', rule`organisation`);
  if (!s.active) throw invalidTransition(rule`The organisation is DEACTIVATED`);
  switch (c.type) {
    case 'AddMember':
      if (s.members.has(c.userId)) throw badInput('userId', rule`names a member that already exists`);
      return [memberAdded(c.userId, c)];
    case 'ChangeMemberRole':
      if (member(s, c.userId) === c.role) throw badInput('role', rule`is already the member's role`);
      return [{ type: 'MemberRoleChanged', data: { userId: c.userId, role: c.role } }];
    case 'RemoveMember':
      member(s, c.userId);
      return [
        ...[...s.keys.values()].filter((key) => key.userId === c.userId && key.active).map((key) => ({ type: 'ApiKeyRevoked' as const, data: { keyId: key.keyId } })),
        { type: 'MemberRemoved', data: { userId: c.userId } },
      ];
    case 'IssueApiKey': {
      const joining = s.members.has(c.userId) ? undefined : c.asNewMember;
      const role = joining?.role ?? member(s, c.userId);
      if (s.keys.has(c.keyId)) throw badInput('keyId', rule`names an API key that already exists`);
      if (!KEY_HASH.test(c.keyHash)) throw badInput('keyHash', rule`must be a SHA-256 hex digest`);
      return [
        ...(joining ? [memberAdded(c.userId, joining)] : []),
        { type: 'ApiKeyIssued', data: { keyId: c.keyId, userId: c.userId, role, keyHash: c.keyHash, label: c.label } },
      ];
    }
    case 'RevokeApiKey':
      activeKey(s, c.keyId);
      return [{ type: 'ApiKeyRevoked', data: { keyId: c.keyId } }];
    case 'AppointAuditor':
      if (c.auditorOrganizationId === c.organizationId) throw badInput('auditorOrganizationId', rule`must not be the organisation itself`);
      if (s.auditors.has(c.auditorOrganizationId)) throw badInput('auditorOrganizationId', rule`names an organisation that is already an auditor`);
      return [{ type: 'AuditorAppointed', data: { auditorOrganizationId: c.auditorOrganizationId } }];
    case 'DismissAuditor':
      if (!s.auditors.has(c.auditorOrganizationId)) throw notFound('auditorOrganizationId', rule`auditor`);
      return [{ type: 'AuditorDismissed', data: { auditorOrganizationId: c.auditorOrganizationId } }];
    case 'RegisterWebhook':
      if (!WEBHOOK_URL.test(c.url) || c.url.length > 2_000) throw badInput('url', rule`must be an http or https URL`);
      if (s.webhooks.has(c.webhookId)) throw badInput('webhookId', rule`names a webhook that already exists`);
      if (s.webhooks.size >= MAX_WEBHOOKS) throw badInput('url', rule`cannot be added: an organisation has at most ${MAX_WEBHOOKS} webhooks`);
      if (!SECRET.test(c.secret)) throw badInput('secret', rule`is not a webhook secret`);
      return [{ type: 'WebhookRegistered', data: { webhookId: c.webhookId, url: c.url, secret: c.secret } }];
    case 'RotateWebhookSecret':
      if (!s.webhooks.has(c.webhookId)) throw notFound('webhookId', rule`webhook`);
      if (!SECRET.test(c.secret)) throw badInput('secret', rule`is not a webhook secret`);
      return [{ type: 'WebhookSecretRotated', data: { webhookId: c.webhookId, secret: c.secret } }];
    case 'RemoveWebhook':
      if (!s.webhooks.has(c.webhookId)) throw notFound('webhookId', rule`webhook`);
      return [{ type: 'WebhookRemoved', data: { webhookId: c.webhookId } }];
    case 'RecordStopWorkOrder':
      return recordStopWorkOrder(s.stopWorkOrders, c);
    case 'LiftStopWorkOrder':
      return liftStopWorkOrder(s.stopWorkOrders, c.orderId);
    case 'DeactivateOrganization':
      if (s.kind === 'SYSTEM') throw badInput('organizationId', rule`must not be the system organisation (it cannot be deactivated)`);
      return [{ type: 'OrganizationDeactivated', data: { personal: { subjectId: ORGANIZATION_SUBJECT_ID, reason: c.reason } } }];
    default:
      return assertNever(c);
  }
};

const withKey = (s: OrganizationState, keyId: string, change: Partial<ApiKeyState>): ReadonlyMap<string, ApiKeyState> => {
  const key = s.keys.get(keyId);
  return key ? new Map(s.keys).set(keyId, { ...key, ...change }) : s.keys;
};

export const evolveOrganization = (s: OrganizationState, e: OrganizationEvent): OrganizationState => {
  switch (e.type) {
    case 'OrganizationRegistered':
      return { ...s, exists: true, active: true, organizationId: e.data.organizationId, kind: e.data.kind };
    case 'MemberAdded':
    case 'MemberRoleChanged':
      return { ...s, members: new Map(s.members).set(e.data.userId, e.data.role) };
    case 'MemberRemoved': {
      const members = new Map(s.members);
      members.delete(e.data.userId);
      return { ...s, members };
    }
    case 'ApiKeyIssued':
      return { ...s, keys: new Map(s.keys).set(e.data.keyId, { keyId: e.data.keyId, userId: e.data.userId, role: e.data.role, keyHash: e.data.keyHash, active: true }) };
    case 'ApiKeyRevoked':
      return { ...s, keys: withKey(s, e.data.keyId, { active: false }) };
    case 'AuditorAppointed':
      return { ...s, auditors: new Set(s.auditors).add(e.data.auditorOrganizationId) };
    case 'AuditorDismissed': {
      const auditors = new Set(s.auditors);
      auditors.delete(e.data.auditorOrganizationId);
      return { ...s, auditors };
    }
    case 'OrganizationDeactivated':
      return { ...s, active: false };
    case 'WebhookRegistered':
      return { ...s, webhooks: new Set(s.webhooks).add(e.data.webhookId) };
    case 'WebhookSecretRotated':
      return s;
    case 'WebhookRemoved': {
      const webhooks = new Set(s.webhooks);
      webhooks.delete(e.data.webhookId);
      return { ...s, webhooks };
    }
    case 'StopWorkOrderRecorded':
    case 'StopWorkOrderLifted':
      return { ...s, stopWorkOrders: evolveStopWorkOrders(s.stopWorkOrders ?? new Map(), e) };
    default:
      return assertNever(e);
  }
};

export const organizationDecider: Decider<OrganizationCommand, OrganizationEvent, OrganizationState> = {
  initialState: initialOrganizationState,
  decide: decideOrganization,
  evolve: evolveOrganization,
};

export const organizationStreamName = (organizationId: string): string => `organization-${organizationId}`;
