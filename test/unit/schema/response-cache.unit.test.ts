import { getNamedType, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../schema/index.js';
import { CACHEABLE_FIELDS, NOT_CACHEABLE } from '../../../schema/plugins/cacheable-fields.js';
import { onlyCacheableFields } from '../../../schema/plugins/response-cache.js';

const schema = buildSchema({ version: 'test', eventStoreKind: 'sqlite' });

/** Every (type, field) a `families` or `family` answer can reach, by walking the schema. */
const reachable = (): Array<[string, string]> => {
  const found: Array<[string, string]> = [['Query', 'families'], ['Query', 'family']];
  const seen = new Set<string>();
  const queue = ['FamilyConnection', 'Family'];
  while (queue.length > 0) {
    const name = queue.shift()!;
    const type = schema.getType(name);
    if (seen.has(name) || !isObjectType(type)) continue;
    seen.add(name);
    for (const field of Object.values(type.getFields())) {
      found.push([name, field.name]);
      if (NOT_CACHEABLE[name]?.includes(field.name)) continue;
      const named = getNamedType(field.type);
      if (isObjectType(named)) queue.push(named.name);
    }
  }
  return found;
};

describe('which answers may be kept (schema/plugins/response-cache.ts)', () => {
  it('classifies every field reachable from families and family as cacheable or not', () => {
    const unclassified = reachable().filter(([type, field]) => !CACHEABLE_FIELDS[type]?.includes(field) && !NOT_CACHEABLE[type]?.includes(field));
    expect(unclassified).toEqual([]);
  });

  it('keeps plain family pages and families, nothing else', () => {
    const cacheable = (text: string): boolean => onlyCacheableFields(schema, parse(text));
    expect(cacheable('{ families(first: 5) { totalCount edges { node { id children { givenName } } } } }')).toBe(true);
    expect(cacheable('query($id: ID!) { family(id: $id) { id __typename ...F } } fragment F on Family { relatives { givenName } }')).toBe(true);
    expect(cacheable('query($id: ID!) { family(id: $id) { timeline { edges { node { sentence } } } } }')).toBe(false);
    expect(cacheable('query($id: ID!) { family(id: $id) { ...F } } fragment F on Family { timeline { totalCount } }')).toBe(false);
    expect(cacheable('query($id: ID!, $at: Int) { family(id: $id, atRevision: $at) { id } }')).toBe(false);
    expect(cacheable('query($id: ID!) { family(id: $id, asOf: "2024-01-01T00:00:00Z") { id } }')).toBe(false);
    expect(cacheable('query($id: ID!) { familyAccessLog(familyId: $id) { userId } }')).toBe(false);
    expect(cacheable('{ viewer { userId } families(first: 1) { totalCount } }')).toBe(false);
    expect(cacheable('{ __schema { types { name } } }')).toBe(false);
    // A document that also holds a mutation is never kept, whichever operation is run.
    expect(cacheable('query A { families(first: 1) { totalCount } } mutation B { openFamilyCase(input: { programme: ASYLUM }) { revision } }')).toBe(false);
  });
});
