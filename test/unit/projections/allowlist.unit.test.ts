import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { allowlistOf, EVENT_ALLOWLIST, VIEW_ALLOWLIST } from '../../../projections/families/allowlist.js';
import { disclose, discloseEventData, disclosureContext } from '../../../projections/families/disclose.js';
import { buildSchema } from '../../../schema/index.js';
import { childRegistered, event, given, opened, relativeAdded } from '../../support/family-fixtures.js';

/**
 * The allowlist covers everything that leaves the read side, and what it does not list is
 * withheld: a new event type, a new field of an event, a new GraphQL field.
 */
const ROOT = join(import.meta.dirname, '../../..');
const eventTypesInSource = (): string[] =>
  [...readFileSync(join(ROOT, 'services/family/events.ts'), 'utf8').matchAll(/\| E<'(\w+)'/g)].map((match) => match[1]!);

/** GraphQL types served through a view of the allowlist of the same name. */
const VIEWS_IN_SCHEMA = [
  'Family', 'Organization', 'Child', 'Relative', 'Document', 'LegalMatter', 'Deadline', 'Referral', 'FamilyEvent', 'FamilyStatusChange',
  // The case file's facts (schema/casefile-facts.graphql).
  'Identifier', 'Consent', 'DuplicateDecision', 'RelationshipToChild', 'ContactAttempt', 'TracingLead', 'Separation', 'ProtectionConcern', 'RedFlag',
  'SafetyOverride', 'DocumentStep', 'MatterStep', 'AccessGrant', 'KeptAccess', 'Transfer', 'CaseNote',
] as const;

describe('the allowlist', () => {
  it('has an entry for every event type of services/family/events.ts, and none for a type that does not exist', () => {
    const types = eventTypesInSource();
    expect(types.length).toBeGreaterThan(60);
    expect(Object.keys(EVENT_ALLOWLIST).sort()).toEqual([...types].sort());
  });

  it('lists every field of every GraphQL type it serves, and no field those types lack', () => {
    const schema = buildSchema({ version: 'test', eventStoreKind: 'sqlite' });
    for (const name of VIEWS_IN_SCHEMA) {
      const type = schema.getType(name);
      if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
      expect(Object.keys(VIEW_ALLOWLIST[name]).sort(), name).toEqual(Object.keys(type.getFields()).sort());
    }
    const edge = schema.getType('FamilyEventEdge');
    if (!isObjectType(edge)) throw new Error('FamilyEventEdge is not an object type');
    for (const field of Object.keys(edge.getFields()).filter((f) => f !== 'cursor' && f !== 'node')) expect(Object.keys(VIEW_ALLOWLIST.FamilyEvent)).toContain(field);
  });

  it('shows each scope no more than the next one up', () => {
    const [status, documents, full] = (['STATUS', 'DOCUMENTS', 'FULL'] as const).map(allowlistOf);
    for (const [lower, higher] of [[status!, documents!], [documents!, full!]] as const) {
      for (const [view, fields] of Object.entries(lower.views)) expect(higher.views[view]).toEqual(expect.arrayContaining(fields));
      for (const [type, fields] of Object.entries(lower.events)) expect(higher.events[type]).toEqual(expect.arrayContaining(fields));
    }
    expect(status!.events['LegalMatterOpened']).not.toContain('jurisdiction');
    expect(documents!.events['ProtectionConcernRecorded']).not.toContain('neverDiscloseTo');
  });
});

describe('what is not listed is withheld', () => {
  const state = given(opened, childRegistered('sofia'), relativeAdded('mother', 'MOTHER'));

  it('a field an event gained is withheld at every scope, FULL included, and named in redacted', () => {
    for (const scope of ['STATUS', 'DOCUMENTS', 'FULL'] as const) {
      const data = discloseEventData('DocumentObtained', { documentId: 'doc-1', obtainedFrom: 'a registry in Puebla' }, disclosureContext(state, scope));
      expect(data['obtainedFrom']).toBeUndefined();
      expect(data['redacted']).toContain('obtainedFrom');
    }
  });

  it('an event type that has no entry shows nothing but the names of its fields', () => {
    expect(discloseEventData('ChildHiddenAway', { childId: 'sofia', place: 'Oaxaca' }, disclosureContext(state, 'FULL'))).toEqual({ redacted: ['childId', 'place'] });
  });

  it('a view field that is not listed is left out', () => {
    expect(disclose('Child', { id: 'sofia', secretNote: 'x' }, disclosureContext(state, 'FULL'))).toEqual({ id: 'sofia' });
  });

  it('below DOCUMENTS, ids are generated ordinals; an id the family does not know is withheld', () => {
    const status = disclosureContext(state, 'STATUS');
    expect(discloseEventData('ReunificationPlanned', { childId: 'sofia', relativeId: 'mother' }, status)).toEqual({ childId: 'child#1', relativeId: 'relative#1' });
    expect(discloseEventData('IdentityVerified', { personId: 'stranger', method: 'DOCUMENT' }, status)).toEqual({ method: 'DOCUMENT', redacted: ['personId'] });
    expect(discloseEventData('ReunificationPlanned', { childId: 'sofia', relativeId: 'mother' }, disclosureContext(state, 'DOCUMENTS'))).toEqual({ childId: 'sofia', relativeId: 'mother' });
  });

  it('an event naming a person hidden from the scope is withheld whole, and the hidden person takes no ordinal', () => {
    const concerned = given(
      opened, childRegistered('sofia'), relativeAdded('uncle', 'AUNT'), relativeAdded('mother', 'MOTHER'),
      event('ProtectionConcernRecorded', { concernId: 'pc', kind: 'TRAFFICKING', neverDiscloseTo: ['uncle'] }),
    );
    for (const scope of ['STATUS', 'DOCUMENTS'] as const) {
      expect(discloseEventData('PersonUnreachable', { relativeId: 'uncle' }, disclosureContext(concerned, scope))).toEqual({ redacted: ['relativeId'] });
    }
    expect(discloseEventData('PersonUnreachable', { relativeId: 'mother' }, disclosureContext(concerned, 'STATUS'))).toEqual({ relativeId: 'relative#1' });
    expect(discloseEventData('PersonUnreachable', { relativeId: 'uncle' }, disclosureContext(concerned, 'FULL'))).toEqual({ relativeId: 'uncle' });
  });
});
