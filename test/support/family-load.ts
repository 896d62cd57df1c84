import { newEventId } from '../../infra/event-store/event-id.js';
import type { EventStore } from '../../services/event-store/port.js';
import { sealEvents } from '../../services/event-envelope.js';
import type { FamilyCommandInput } from '../../services/family/commands.js';
import { decide } from '../../services/family/decide.js';
import { FAMILY_EVENT_SCHEMA_VERSION, type FamilyEvent } from '../../services/family/events.js';
import { evolve } from '../../services/family/evolve.js';
import { familyStreamName } from '../../services/family/family-decider.js';
import { initialFamilyState } from '../../services/family/state.js';
import type { CalendarDate } from '../../services/shared/calendar-date.js';
import type { CountryCode } from '../../services/shared/countries.js';
import type { Actor } from '../../services/shared/decider.js';

/**
 * A realistic load: families that go through intake, tracing, documents and legal steps,
 * decided by the real decider and sealed into the hash chain, then appended one stream per
 * family in one append (fast to load; the events are exactly what the handler would store).
 * Deterministic for a given seed.
 */
const COUNTRIES = ['HN', 'GT', 'SV', 'MX', 'NI'] as const;
const ORGS = ['org-a', 'org-b', 'org-c', 'org-d'] as const;

const rng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

const familyScript = (i: number, random: () => number, extraSteps: number): FamilyCommandInput[] => {
  const country = COUNTRIES[i % COUNTRIES.length] as CountryCode;
  const steps: FamilyCommandInput[] = [
    { type: 'OpenFamilyCase', leadOrganizationId: ORGS[i % ORGS.length]!, programme: 'SEPARATED_FAMILY' },
    { type: 'RegisterChild', childId: 'c1', givenName: `Child ${String(i)}`, birthDate: `20${String(10 + (i % 9))}-0${String(1 + (i % 9))}-15` as CalendarDate, birthDateEstimated: false, nationality: country, languages: ['es'], needsInterpreter: false },
    { type: 'AddRelative', relativeId: 'r1', relationship: 'FATHER', givenName: `Parent ${String(i)}`, biological: true, vitalStatus: 'ALIVE', adverse: false },
    { type: 'RecordSeparation', separatedOn: `2019-0${String(1 + (i % 9))}-01` as CalendarDate, cause: 'PARENT_DEPORTED', childIds: ['c1'] },
    { type: 'StartTracing', relativeId: 'r1', defenderOrganizationId: 'org-hn' },
  ];
  for (let k = 0; k < extraSteps; k += 1) steps.push({ type: 'RecordContactAttempt', relativeId: 'r1', channel: 'PHONE', result: 'NO_ANSWER' });
  if (random() < 0.6) {
    steps.push({ type: 'RecordParentLocated', relativeId: 'r1', country, method: 'PHONE' });
    steps.push({ type: 'RequestDocument', documentId: 'd1', documentType: 'BIRTH_CERTIFICATE', issuingCountry: country, assignedOrganizationId: 'org-hn', needsLegalisation: true, needsTranslation: true, needsService: false });
    if (random() < 0.5) steps.push({ type: 'RecordDocumentObtained', documentId: 'd1' });
  }
  if (random() < 0.3) steps.push({ type: 'OpenLegalMatter', matterId: 'm1', matterType: 'SIJ', childId: 'c1', jurisdiction: 'US-NY' });
  return steps;
};

const actorOf = (organizationId: string): Actor => ({ userId: 'loader', organizationId, role: 'ADVOCATE' });

/** The events of one family, sealed as the handler would seal them. */
export const familyEvents = (i: number, seed: number, eventsPerFamily: number) => {
  const random = rng(seed + i);
  const familyId = `load-${String(i).padStart(7, '0')}`;
  const script = familyScript(i, random, Math.max(0, eventsPerFamily - 9));
  let state = initialFamilyState;
  const events: FamilyEvent[] = [];
  const issuedAt = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  for (const input of script) {
    const decided = decide({ ...input, familyId, actor: actorOf(ORGS[i % ORGS.length]!), issuedAt, occurredAt: issuedAt }, state);
    for (const event of decided) state = evolve(state, event);
    events.push(...decided);
  }
  const stream = familyStreamName(familyId);
  return {
    familyId,
    stream,
    sealed: sealEvents({
      stream, firstRevision: 0, previousHash: undefined, events, schemaVersion: FAMILY_EVENT_SCHEMA_VERSION, newEventId,
      metadata: { actor: actorOf(ORGS[i % ORGS.length]!), occurredAt: issuedAt, recordedAt: issuedAt, commandType: 'Load', correlationId: familyId, causationId: familyId },
    }),
  };
};

/** Appends `families` families of about `eventsPerFamily` events each; returns the event count. */
export const loadFamilies = (store: EventStore, families: number, eventsPerFamily = 20, seed = 7, onProgress?: (done: number) => void): Promise<number> =>
  loadFamilyRange(store, { from: 0, to: families }, eventsPerFamily, seed, onProgress);

/** Appends families number `from` to `to - 1` (as loadFamilies numbers them), to load in parts. */
export const loadFamilyRange = async (store: EventStore, range: { readonly from: number; readonly to: number }, eventsPerFamily = 20, seed = 7, onProgress?: (done: number) => void): Promise<number> => {
  let total = 0;
  for (let i = range.from; i < range.to; i += 1) {
    const { stream, sealed } = familyEvents(i, seed, eventsPerFamily);
    await store.appendToStream(stream, sealed as never, { expectedRevision: 'no_stream' });
    total += sealed.length;
    onProgress?.(i + 1 - range.from);
  }
  return total;
};
