import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf } from '../../support/graphql-client.js';
import { startProbeWorld, type ProbeWorld } from '../../support/probe-world.js';

/**
 * Finding (s5-probe), severity MEDIUM: the Spanish timeline a Defender reads is Spanish around
 * English codes: "Abrió el caso (SEPARATED_FAMILY).", "Añadió al familiar mother (Rosa), MOTHER.",
 * "Intentó contactar a mother por WHATSAPP: NO_ANSWER.", "Solicitó el documento birth
 * (BIRTH_CERTIFICATE, GT) ...", "Registró la separación del ... (SEPARATED_AT_BORDER)." The
 * sentences interpolate the events' enum values as stored (projections/timeline/sentences.ts),
 * while blockers and status labels are translated.
 * Rule: issue 15 item 3 ("each event as one sentence ... in English and Spanish", "a timeline a
 * person reads") and issue 16 ("English and Spanish throughout").
 */
let world: ProbeWorld;
let familyId: string;

beforeAll(async () => {
  world = await startProbeWorld(['lead']);
  familyId = (await world.ok('lead', 'openFamilyCase', { programme: 'SEPARATED_FAMILY' })).family.id;
  await world.ok('lead', 'registerChild', { familyId, childId: 'girl', givenName: 'Ana', birthDate: '2015-03-02', nationality: 'GT' });
  await world.ok('lead', 'addRelative', { familyId, relativeId: 'mother', relationship: 'MOTHER', givenName: 'Rosa' });
  await world.ok('lead', 'recordSeparation', { familyId, separatedOn: '2024-05-01', cause: 'SEPARATED_AT_BORDER', childIds: ['girl'] });
  await world.ok('lead', 'startTracing', { familyId, relativeId: 'mother', defenderOrganizationId: 'lead' });
  await world.ok('lead', 'recordContactAttempt', { familyId, relativeId: 'mother', channel: 'WHATSAPP', result: 'NO_ANSWER' });
  await world.ok('lead', 'requestDocument', { familyId, documentId: 'birth', documentType: 'BIRTH_CERTIFICATE', issuingCountry: 'GT', assignedOrganizationId: 'lead' });
});
afterAll(async () => world?.stop());

describe('the timeline in Spanish', () => {
  it('has no English vocabulary codes in its sentences', async () => {
    const sentences: string[] = dataOf(await world.gql(world.keys['lead']!, 'query($id: ID!) { family(id: $id) { timeline(language: "es") { edges { node { sentence } } } } }', { id: familyId }))
      .family.timeline.edges.map((edge: { node: { sentence: string } }) => edge.node.sentence);
    expect(sentences.length).toBeGreaterThanOrEqual(7);
    // Codes of the API's enums: upper-case words of four letters or more, with or without "_"
    // (country codes such as GT have two letters and stay as they are).
    expect(sentences.filter((sentence) => /\b[A-Z][A-Z_]{3,}\b/.test(sentence))).toEqual([]);
  });
});
