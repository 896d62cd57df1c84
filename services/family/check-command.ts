import { badInput, rule } from '../shared/domain-error.js';
import { toUtcInstant } from '../shared/instant.js';
import { country, date, id, list, oneOf, text } from '../shared/input.js';
import type { FamilyCommand } from './commands.js';
import * as V from './vocabulary.js';

/**
 * Command construction checks for every family command, by field name: strict calendar
 * dates, ISO country codes, closed vocabularies, id syntax, bounded text and lists, and no
 * control or bidirectional formatting characters in any text (input.ts). Each
 * failure is BAD_USER_INPUT naming the field. Returns the command with text trimmed and every
 * instant (issuedAt, occurredAt, expiresAt, acknowledgeBy) normalised to UTC.
 */
const DATE_FIELDS = new Set([
  'birthDate', 'arrivalDate', 'separatedOn', 'detainedOn', 'transferredOn', 'releasedOn', 'changedOn', 'filedOn',
  'hearingOn', 'issuedOn', 'recoveredOn', 'decidedOn', 'dueOn', 'expiresOn', 'reunifiedOn', 'repatriatedOn',
]);
const INSTANT_FIELDS = new Set(['issuedAt', 'occurredAt', 'expiresAt', 'acknowledgeBy', 'previousLeadReadAccessUntil']);
const COUNTRY_FIELDS = new Set(['nationality', 'country', 'issuingCountry', 'region']);
const SHORT_TEXT: Readonly<Record<string, number>> = { givenName: 200, familyName: 200, phone: 40, value: 100, language: 35, jurisdiction: 10, receiptNumber: 100 };
/** Free text, up to 4,000 characters; it may hold line breaks and tabs (names and short text may not). */
const LONG_TEXT = new Set(['narrative', 'note', 'lead', 'place', 'safeContactInstructions', 'reason', 'purpose', 'facility', 'medicalNeeds', 'stopWorkReason']);
const FREE_LISTS = new Set(['languages', 'purposes']);
const NOT_CHECKED = new Set(['type', 'actor', 'birthDateEstimated', 'needsInterpreter', 'biological', 'adverse', 'needsLegalisation', 'needsTranslation', 'needsService', 'previousLeadKeepsReadAccess']);

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  programme: V.PROGRAMMES, relationship: V.RELATIONSHIPS, vitalStatus: V.VITAL_STATUSES, cause: V.SEPARATION_CAUSES,
  agency: V.CUSTODIAN_AGENCIES, placement: V.PLACEMENTS, channel: V.CONTACT_CHANNELS, result: V.CONTACT_RESULTS,
  preference: V.PREFERENCES, outcome: V.SAFETY_OUTCOMES, documentType: V.DOCUMENT_TYPES, matterType: V.MATTER_TYPES,
  orderType: V.ORDER_TYPES, decision: V.DECISIONS, kind: [...V.DEADLINE_KINDS, ...V.IDENTIFIER_KINDS, ...V.CONCERN_KINDS],
  scope: V.ACCESS_SCOPES, category: V.RED_FLAG_CATEGORIES, gate: V.SAFETY_GATES,
};

const METHODS: Partial<Record<FamilyCommand['type'], readonly string[]>> = {
  RecordParentLocated: V.LOCATION_METHODS,
  RecordIdentityVerified: V.VERIFICATION_METHODS,
  RecordRelationshipVerified: V.VERIFICATION_METHODS,
  RecordDocumentApostilled: V.LEGALISATION_METHODS,
};

const checkField = (commandType: FamilyCommand['type'], field: string, value: unknown): unknown => {
  if (NOT_CHECKED.has(field) || value === undefined || value === null) return value;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    list(field, value);
    return value.map((item) => (FREE_LISTS.has(field) ? text(field, String(item), 100) : id(field, String(item))));
  }
  if (typeof value !== 'string') throw badInput(field, rule`has the wrong type`);
  if (DATE_FIELDS.has(field)) return date(field, value);
  if (INSTANT_FIELDS.has(field)) {
    const instant = toUtcInstant(value);
    if (instant === undefined) throw badInput(field, rule`must be an RFC 3339 date-time with an offset`);
    return instant;
  }
  if (COUNTRY_FIELDS.has(field)) return country(field, value);
  if (field === 'method') return oneOf(field, value, METHODS[commandType] ?? []);
  const vocabulary = ENUMS[field];
  if (vocabulary) return oneOf(field, value, vocabulary);
  const shortLimit = SHORT_TEXT[field];
  if (shortLimit !== undefined) return text(field, value, shortLimit);
  if (LONG_TEXT.has(field)) return text(field, value, 4_000, { lines: true });
  if (field.endsWith('Id')) return id(field, value);
  throw badInput(field, rule`is not a known input`);
};

export const checkFamilyCommand = <C extends FamilyCommand>(command: C): C =>
  Object.fromEntries(Object.entries(command).map(([field, value]) => [field, checkField(command.type, field, value)])) as unknown as C;
