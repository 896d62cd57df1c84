import { describe, expect, it } from 'vitest';
import { FAMILY_MUTATIONS } from '../../../schema/mutations/family-mutation-specs.js';
import { checkFamilyCommand } from '../../../services/family/check-command.js';
import type { FamilyCommand, FamilyCommandType } from '../../../services/family/commands.js';
import { checkOrganizationCommand } from '../../../services/organization/check-command.js';
import type { OrganizationCommand } from '../../../services/organization/organization.js';
import { DomainError } from '../../../services/shared/domain-error.js';
import { sampleFamilyCommand } from '../../support/command-samples.js';
import { ADVOCATE, NOW } from '../../support/family-fixtures.js';

/**
 * Regression (issue 12, finding 5): names and free text with NUL, control or bidirectional
 * formatting characters were stored as sent. Every text field of every family command (as the
 * GraphQL specs list them) and of every organisation command refuses them with BAD_USER_INPUT
 * naming the field; only long free text takes line breaks and tabs.
 */
const UNSAFE = {
  NUL: 'Ana\u0000', BEL: 'Ana\u0007', ESC: 'Ana\u001B[31m', DEL: 'Ana\u007F', NEL: 'Ana\u0085', RLO: 'Ana\u202Eanirak',
  LRE: '\u202AAna', RLI: 'Ana\u2067x', PDI: 'Ana\u2069', RLM: 'Ana\u200F', ALM: 'Ana\u061C', LSEP: 'Ana\u2028x', LONE_SURROGATE: 'Ana\uD800',
};
const LINE_BREAKS = { LF: 'one\ntwo', CRLF: 'one\r\ntwo', TAB: 'one\ttwo' };
const FREE_TEXT = new Set(['narrative', 'note', 'lead', 'place', 'safeContactInstructions', 'reason', 'purpose', 'facility', 'medicalNeeds']);

const fault = (run: () => unknown): { code: string; field: string | undefined } | 'accepted' => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field };
    throw error;
  }
};

/** Every String (and [String]) input of every family mutation. */
const familyTextFields = Object.entries(FAMILY_MUTATIONS).flatMap(([type, fields]) =>
  Object.entries(fields ?? {}).filter(([, graphqlType]) => /^\[?String/.test(graphqlType)).map(([field, graphqlType]) => [type as FamilyCommandType, field, graphqlType.startsWith('[')] as const));

/** A well-formed command of the type (every required field filled) with this one text field set. */
const familyCommand = (type: FamilyCommandType, field: string, value: string, isList: boolean): FamilyCommand =>
  sampleFamilyCommand(type, { [field]: isList ? [value] : value });

describe('family commands', () => {
  it('the specs have text fields to check', () => {
    expect(familyTextFields.length).toBeGreaterThan(20);
  });

  it.each(familyTextFields)('%s.%s refuses control and bidirectional formatting characters', (type, field, isList) => {
    for (const [name, value] of Object.entries(UNSAFE)) {
      expect(fault(() => checkFamilyCommand(familyCommand(type, field, value, isList))), name).toEqual({ code: 'BAD_USER_INPUT', field });
    }
  });

  it.each(familyTextFields)('%s.%s takes ordinary text, and line breaks only if it is free text', (type, field, isList) => {
    expect(fault(() => checkFamilyCommand(familyCommand(type, field, 'Ñoño 😀', isList)))).toBe('accepted');
    for (const [name, value] of Object.entries(LINE_BREAKS)) {
      expect(fault(() => checkFamilyCommand(familyCommand(type, field, value, isList))), name).toEqual(FREE_TEXT.has(field) ? 'accepted' : { code: 'BAD_USER_INPUT', field });
    }
  });
});

const base = { organizationId: 'org-a', actor: ADVOCATE, issuedAt: NOW };
const ORGANIZATION_TEXT: ReadonlyArray<readonly [string, (value: string) => OrganizationCommand, boolean]> = [
  ['name', (name) => ({ ...base, type: 'RegisterOrganization', name, kind: 'PARTNER_NGO', countries: [] }), false],
  ['name', (name) => ({ ...base, type: 'AddMember', userId: 'u', role: 'ADVOCATE', name }), false],
  ['email', (email) => ({ ...base, type: 'AddMember', userId: 'u', role: 'ADVOCATE', name: 'n', email }), false],
  ['name', (name) => ({ ...base, type: 'IssueApiKey', keyId: 'k', userId: 'u', keyHash: '0'.repeat(64), label: 'l', asNewMember: { role: 'ADVOCATE', name } }), false],
  ['email', (email) => ({ ...base, type: 'IssueApiKey', keyId: 'k', userId: 'u', keyHash: '0'.repeat(64), label: 'l', asNewMember: { role: 'ADVOCATE', name: 'n', email } }), false],
  ['label', (label) => ({ ...base, type: 'IssueApiKey', keyId: 'k', userId: 'u', keyHash: '0'.repeat(64), label }), false],
  ['reason', (reason) => ({ ...base, type: 'DeactivateOrganization', reason }), true],
  ['url', (url) => ({ ...base, type: 'RegisterWebhook', webhookId: 'w', url: `https://example.org/${url}`, secret: 'whsec_x' }), false],
];

describe('organisation commands', () => {
  it.each(ORGANIZATION_TEXT)('%s refuses control and bidirectional formatting characters', (field, make, freeText) => {
    for (const [name, value] of Object.entries(UNSAFE)) expect(fault(() => checkOrganizationCommand(make(value))), name).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(fault(() => checkOrganizationCommand(make('Centro Pro Niñez')))).toBe('accepted');
    expect(fault(() => checkOrganizationCommand(make('one\ntwo')))).toEqual(freeText ? 'accepted' : { code: 'BAD_USER_INPUT', field });
  });

  it('ids chosen by clients are ids; issuedAt is normalised to UTC', () => {
    expect(fault(() => checkOrganizationCommand({ ...base, organizationId: 'x'.repeat(900), type: 'RemoveWebhook', webhookId: 'w' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'organizationId' });
    expect(fault(() => checkOrganizationCommand({ ...base, type: 'AppointAuditor', auditorOrganizationId: 'a b' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'auditorOrganizationId' });
    expect(checkOrganizationCommand({ ...base, issuedAt: '2024-06-01T12:00:00+12:00', type: 'RemoveWebhook', webhookId: 'w' }).issuedAt).toBe('2024-06-01T00:00:00.000Z');
  });
});
