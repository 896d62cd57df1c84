import { badInput, rule } from '../shared/domain-error.js';
import { toUtcInstant } from '../shared/instant.js';
import { country, id, list, oneOf, text } from '../shared/input.js';
import { PROGRAMMES } from '../family/vocabulary.js';
import { ORGANIZATION_KINDS, ROLES, type OrganizationCommand } from './organization.js';

/**
 * Construction checks for every organisation command, by field name, as for family commands:
 * ids chosen by clients, names and labels (no control, line-break or bidirectional formatting
 * characters), the deactivation reason (free text: line breaks and tabs allowed), the webhook
 * URL, vocabularies and country codes; `issuedAt` is normalised to UTC. Each failure is
 * BAD_USER_INPUT naming the field and the rule. Returns the command with text trimmed.
 */
const CLIENT_IDS = new Set(['organizationId', 'userId', 'auditorOrganizationId', 'orderId', 'funderOrganizationId']);
/** Ids the tracker derives from a client's commandId (`key-<commandId>`, `webhook-<commandId>`). */
const DERIVED_IDS = new Set(['keyId', 'webhookId']);
const SHORT_TEXT: Readonly<Record<string, number>> = { name: 200, email: 254, label: 200, url: 2_000 };
/** Checked by the decider (their own formats), or set by the code. */
const NOT_CHECKED = new Set(['type', 'actor', 'keyHash', 'secret']);
const MAX_COUNTRIES = 250;

/** Printable ASCII without spaces, like the commandId it comes from (family-service.ts). */
const DERIVED_ID = /^[!-~]{1,300}$/;

const checkFields = (fields: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, checkField(field, value)]));

const checkField = (field: string, value: unknown): unknown => {
  if (NOT_CHECKED.has(field) || value === undefined) return value;
  // IssueApiKey's new member: role, name and email, checked like AddMember's.
  if (field === 'asNewMember' && typeof value === 'object' && value !== null && !Array.isArray(value)) return checkFields(value);
  if (field === 'countries' && Array.isArray(value)) return list(field, value, MAX_COUNTRIES).map((code) => country(field, String(code)));
  if (typeof value !== 'string') throw badInput(field, rule`has the wrong type`);
  if (field === 'issuedAt') {
    const instant = toUtcInstant(value);
    if (instant === undefined) throw badInput(field, rule`must be an RFC 3339 date-time with an offset`);
    return instant;
  }
  if (CLIENT_IDS.has(field)) return id(field, value);
  if (DERIVED_IDS.has(field)) {
    if (!DERIVED_ID.test(value)) throw badInput(field, rule`is not a valid id`);
    return value;
  }
  if (field === 'kind') return oneOf(field, value, ORGANIZATION_KINDS);
  if (field === 'role') return oneOf(field, value, ROLES);
  if (field === 'programme') return oneOf(field, value, PROGRAMMES);
  if (field === 'reason') return text(field, value, 4_000, { lines: true });
  const shortLimit = SHORT_TEXT[field];
  if (shortLimit !== undefined) return text(field, value, shortLimit);
  throw badInput(field, rule`is not a known input`);
};

export const checkOrganizationCommand = <C extends OrganizationCommand>(command: C): C => checkFields(command) as unknown as C;
