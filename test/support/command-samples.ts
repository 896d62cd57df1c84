import { COMMAND_INPUTS, graphqlFieldOf } from '../../services/family/command-inputs.js';
import type { FamilyCommand, FamilyCommandType } from '../../services/family/commands.js';
import { ADVOCATE, NOW } from './family-fixtures.js';

const SAMPLE_BY_TYPE: Readonly<Record<string, unknown>> = {
  ID: 'sample-1', Date: '2024-01-02', DateTime: NOW, CountryCode: 'HN', String: 'sample', Boolean: false, '[ID!]': [], '[String!]': [],
};

/**
 * A command of this type that passes its construction checks, built from its definition
 * (command-inputs.ts): every required field with a well-formed value (the first word of a
 * vocabulary), the optional ones left out, and `overrides` on top.
 */
export const sampleFamilyCommand = (type: FamilyCommandType, overrides: Readonly<Record<string, unknown>> = {}): FamilyCommand => {
  const fields = Object.entries(COMMAND_INPUTS[type].shape as Readonly<Record<string, Parameters<typeof graphqlFieldOf>[0]>>).flatMap(([name, schema]) => {
    const field = graphqlFieldOf(schema);
    if (field.nullable) return [];
    return [[name, field.values?.[0] ?? SAMPLE_BY_TYPE[field.type]]];
  });
  return { type, familyId: 'fam-1', actor: ADVOCATE, issuedAt: NOW, occurredAt: NOW, ...Object.fromEntries(fields), ...overrides };
};
