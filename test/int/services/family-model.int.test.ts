import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../../services/shared/domain-error.js';
import type { FamilyCommand } from '../../../services/family/commands.js';
import { reunificationStatus, type ReunificationStatus } from '../../../services/family/status.js';
import { command, country, date } from '../../support/family-fixtures.js';
import { openFamilyHarness } from '../../support/family-harness.js';

/**
 * Model-based test: random command sequences run through the real handler on a real SQLite
 * file, side by side with a deliberately simple model of the rules. Every command must be
 * accepted exactly when the model says it may be; after every step the stored revisions are
 * contiguous, the status is the one the model predicts, and a replay of the stored events gives the model's state.
 */
type Lifecycle = 'OPEN' | 'SUSPENDED' | 'CLOSED';
interface Model {
  lifecycle: Lifecycle;
  people: Set<string>;
  relatives: Map<string, 'NOT_SOUGHT' | 'TRACING' | 'LOCATED' | 'IN_CONTACT' | 'UNREACHABLE'>;
  documents: Map<string, 'REQUESTED' | 'OBTAINED' | 'FILED'>;
}

const PEOPLE = ['p1', 'p2', 'p3'];
const DOCUMENTS = ['d1', 'd2'];
const person = fc.constantFrom(...PEOPLE);
const document = fc.constantFrom(...DOCUMENTS);

type Step = { readonly kind: string; readonly id: string };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('AddRelative', 'RegisterChild', 'StartTracing', 'RecordParentLocated', 'RecordContactEstablished', 'RecordPersonUnreachable'), id: person }),
  fc.record({ kind: fc.constantFrom('RequestDocument', 'RecordDocumentObtained', 'RecordDocumentApostilled', 'RecordDocumentFiled'), id: document }),
  fc.record({ kind: fc.constantFrom('SuspendService', 'ResumeService', 'CloseFamilyCase', 'ReopenFamilyCase'), id: fc.constant('') }),
);

const toCommand = (familyId: string, s: Step): FamilyCommand => {
  const base = { familyId };
  switch (s.kind) {
    case 'AddRelative': return command('AddRelative', { ...base, relativeId: s.id, relationship: 'FATHER', givenName: 'X', biological: true, vitalStatus: 'ALIVE', adverse: false });
    case 'RegisterChild': return command('RegisterChild', { ...base, childId: s.id, givenName: 'Y', birthDate: date('2012-01-01'), birthDateEstimated: false, nationality: country('HN'), languages: [], needsInterpreter: false });
    case 'StartTracing': return command('StartTracing', { ...base, relativeId: s.id, defenderOrganizationId: 'org-hn' });
    case 'RecordParentLocated': return command('RecordParentLocated', { ...base, relativeId: s.id, country: country('HN'), method: 'PHONE' });
    case 'RecordContactEstablished': return command('RecordContactEstablished', { ...base, relativeId: s.id });
    case 'RecordPersonUnreachable': return command('RecordPersonUnreachable', { ...base, relativeId: s.id });
    case 'RequestDocument': return command('RequestDocument', { ...base, documentId: s.id, documentType: 'PASSPORT', issuingCountry: country('MX'), assignedOrganizationId: 'o', needsLegalisation: true, needsTranslation: false, needsService: false });
    case 'RecordDocumentObtained': return command('RecordDocumentObtained', { ...base, documentId: s.id });
    case 'RecordDocumentApostilled': return command('RecordDocumentApostilled', { ...base, documentId: s.id, method: 'APOSTILLE' });
    case 'RecordDocumentFiled': return command('RecordDocumentFiled', { ...base, documentId: s.id });
    case 'SuspendService': return command('SuspendService', { ...base, reason: 'funder' });
    case 'ResumeService': return command('ResumeService', { ...base });
    case 'CloseFamilyCase': return command('CloseFamilyCase', { ...base, reason: 'OTHER' });
    default: return command('ReopenFamilyCase', { ...base, reason: 'again' });
  }
};

const UNAVOIDABLE = new Set(['ResumeService', 'CloseFamilyCase', 'RecordDocumentFiled']);

/** The model's verdict, and its next state when the step is accepted. */
const apply = (m: Model, s: Step): boolean => {
  if (m.lifecycle === 'CLOSED' && s.kind !== 'ReopenFamilyCase') return false;
  if (m.lifecycle === 'SUSPENDED' && !UNAVOIDABLE.has(s.kind)) return false;
  const relative = m.relatives.get(s.id);
  const doc = m.documents.get(s.id);
  const move = (ok: boolean, change: () => void): boolean => (ok && (change(), true));
  switch (s.kind) {
    case 'AddRelative': return move(!m.people.has(s.id), () => { m.people.add(s.id); m.relatives.set(s.id, 'NOT_SOUGHT'); });
    case 'RegisterChild': return move(!m.people.has(s.id), () => m.people.add(s.id));
    case 'StartTracing': return move(relative === 'NOT_SOUGHT' || relative === 'UNREACHABLE', () => m.relatives.set(s.id, 'TRACING'));
    case 'RecordParentLocated': return move(relative === 'TRACING', () => m.relatives.set(s.id, 'LOCATED'));
    case 'RecordContactEstablished': return move(relative === 'LOCATED', () => m.relatives.set(s.id, 'IN_CONTACT'));
    case 'RecordPersonUnreachable': return move(relative === 'TRACING', () => m.relatives.set(s.id, 'UNREACHABLE'));
    case 'RequestDocument': return move(doc === undefined, () => m.documents.set(s.id, 'REQUESTED'));
    case 'RecordDocumentObtained': return move(doc === 'REQUESTED', () => m.documents.set(s.id, 'OBTAINED'));
    case 'RecordDocumentApostilled': return doc === 'OBTAINED';
    case 'RecordDocumentFiled': return move(doc === 'OBTAINED', () => m.documents.set(s.id, 'FILED'));
    case 'SuspendService': return move(m.lifecycle === 'OPEN', () => (m.lifecycle = 'SUSPENDED'));
    case 'ResumeService': return move(m.lifecycle === 'SUSPENDED', () => (m.lifecycle = 'OPEN'));
    case 'CloseFamilyCase': return move(true, () => (m.lifecycle = 'CLOSED'));
    default: return move(m.lifecycle === 'CLOSED', () => (m.lifecycle = 'OPEN'));
  }
};

/**
 * The status the model's state should show (status.ts's precedence, for what these steps can
 * reach: no custody, reunification or legal matters): closed; anyone sought and not found;
 * a document still open; someone found; else intake.
 */
const modelStatus = (m: Model): ReunificationStatus => {
  const locations = [...m.relatives.values()];
  if (m.lifecycle === 'CLOSED') return 'CLOSED';
  if (locations.some((l) => l === 'TRACING' || l === 'UNREACHABLE')) return 'SEARCHING';
  if ([...m.documents.values()].some((d) => d !== 'FILED')) return 'LEGAL_PROCESS';
  if (locations.some((l) => l === 'LOCATED' || l === 'IN_CONTACT')) return 'IN_CONTACT';
  return 'INTAKE';
};

describe('family decider against a model (fast-check)', () => {
  const h = openFamilyHarness();
  afterAll(() => h.close());
  // The organisations the steps name (a Defender and a document's assignee) must exist.
  beforeAll(() => h.organizations('org-hn', 'o'));
  let runs = 0;

  it('accepts exactly the steps the model allows, and replays to the same state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const familyId = `model-${String((runs += 1))}`;
        await h.execute(command('OpenFamilyCase', { familyId, leadOrganizationId: 'org-a', programme: 'SEPARATED_FAMILY' }));
        const model: Model = { lifecycle: 'OPEN', people: new Set(), relatives: new Map(), documents: new Map() };
        for (const s of steps) {
          const expected = apply(model, s);
          const outcome = await h.execute(toCommand(familyId, s)).then(() => 'accepted', (error: unknown) => error);
          if (outcome !== 'accepted' && !(outcome instanceof DomainError)) throw outcome;
          expect(outcome === 'accepted', `${s.kind} ${s.id}`).toBe(expected);
        }
        const events = await h.events(familyId);
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
        const replayed = await h.state(familyId);
        expect(reunificationStatus(replayed)).toBe(modelStatus(model));
        expect(replayed.lifecycle).toBe(model.lifecycle);
        expect(Object.fromEntries([...replayed.relatives].map(([id, r]) => [id, r.location]))).toEqual(Object.fromEntries(model.relatives));
        expect(Object.fromEntries([...replayed.documents].map(([id, d]) => [id, d.status]))).toEqual(Object.fromEntries(model.documents));
      }),
      { numRuns: 60 },
    );
  });
});
