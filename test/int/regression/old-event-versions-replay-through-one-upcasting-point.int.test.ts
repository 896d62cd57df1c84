import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newEventId } from '../../../infra/event-store/event-id.js';
import { SqliteEventStore } from '../../../infra/event-store/sqlite/sqlite-event-store.js';
import { forgetFoldedStates } from '../../../services/command-handler.js';
import { FAMILY_EVENT_SCHEMA_VERSION } from '../../../services/family/events.js';
import { familyStreamName } from '../../../services/family/family-decider.js';
import { familyAt } from '../../../services/family/family-history.js';
import { executeFamilyCommand } from '../../../services/family/family-service.js';
import { familyEventOf, upcastStoredFamilyEvent } from '../../../services/family/upcast.js';
import { disclosureContext } from '../../../projections/families/disclose.js';
import { historyEventView } from '../../../projections/families/history-redaction.js';
import { CASE_SUBJECT_ID } from '../../../services/shared/case-subject.js';
import { collect } from '../../support/async.js';
import { command } from '../../support/family-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Regression (issue 14, item 9): events.ts promised "a changed shape gets a new version and an
 * upcaster on read", but every reader cast the stored data to the current type itself and the
 * schema version was never read. Now one point (services/family/upcast.ts) turns a stored event
 * into the current domain event for the command handler's fold, the projections and history:
 * an old RelativeAdded (version 0, without languages and needsInterpreter) replays into the
 * current shape, and an event newer than the code knows stops the fold instead of being misread.
 */
const familyId = 'fam-old';
const stream = familyStreamName(familyId);
const opened = { type: 'FamilyCaseOpened', data: { familyId, leadOrganizationId: 'org-a', programme: 'SIJ' } };
const relativeV0 = {
  type: 'RelativeAdded',
  data: { relativeId: 'r-1', relationship: 'MOTHER', biological: true, vitalStatus: 'ALIVE', adverse: false, personal: { subjectId: 'r-1', givenName: 'Rosa' } },
};

describe('one upcasting point for stored family events', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: SqliteEventStore;

  const append = async (relativeVersion: number) => {
    await store.appendToStream(stream, [
      { id: newEventId(), type: opened.type, data: opened.data, metadata: { schemaVersion: FAMILY_EVENT_SCHEMA_VERSION } },
      { id: newEventId(), type: relativeV0.type, data: relativeV0.data, metadata: { schemaVersion: relativeVersion } },
    ], { expectedRevision: 'no_stream' });
  };

  beforeEach(() => {
    temp = makeTempDir('tracker-upcast-');
    store = SqliteEventStore.open(join(temp.dir, 'events.sqlite'));
    forgetFoldedStates(store);
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('a version 0 RelativeAdded reads as the current shape, and a current event is passed through untouched', async () => {
    await append(0);
    const [first, second] = await collect(store.readStream(stream));
    expect(upcastStoredFamilyEvent(first!)).toBe(first);
    // Carried to the current version: no languages known (under personal, as version 3 keeps them), no interpreter.
    expect(familyEventOf(second!)).toEqual({ type: 'RelativeAdded', data: { ...relativeV0.data, needsInterpreter: false, personal: { ...relativeV0.data.personal, languages: [] } } });
    expect(second!.data).not.toHaveProperty('languages');
  });

  it('history and the command handler fold it: the relative is there with no languages, and a command about them is decided', async () => {
    await append(0);
    const point = await familyAt(store.readStream(stream), {});
    expect(point?.state.relatives.get('r-1')).toMatchObject({ languages: [], needsInterpreter: false, givenName: 'Rosa' });
    const result = await executeFamilyCommand({ store, newEventId }, command('RecordIdentifier', { familyId, personId: 'r-1', kind: 'PASSPORT', value: 'X123' }));
    expect(result).toMatchObject({ revision: 2, replayed: false });
  });

  it('an event of a version newer than the code knows stops the fold rather than being misread', async () => {
    await append(FAMILY_EVENT_SCHEMA_VERSION + 1);
    await expect(executeFamilyCommand({ store, newEventId }, command('RecordIdentifier', { familyId, personId: 'r-1', kind: 'PASSPORT', value: 'X123' }))).rejects.toThrow(/newer than this tracker reads/);
    await expect(familyAt(store.readStream(stream), {})).rejects.toThrow(/newer than this tracker reads/);
    expect(await collect(store.readStream(stream))).toHaveLength(2);
  });

  it('version 1 reasons and a version 1 separation place read in the version 2 shape: fold, history at each scope', async () => {
    const v1 = [
      { type: 'ChildRegistered', data: { childId: 'c-1', nationality: 'HN', languages: [], needsInterpreter: false, birthDateEstimated: false, ageReviewRequired: false, personal: { subjectId: 'c-1', givenName: 'Ana', birthDate: '2012-01-01' } } },
      { type: 'ChildRegistered', data: { childId: 'c-2', nationality: 'HN', languages: [], needsInterpreter: false, birthDateEstimated: false, ageReviewRequired: false, personal: { subjectId: 'c-2', givenName: 'Beto', birthDate: '2013-01-01' } } },
      { type: 'SeparationRecorded', data: { separatedOn: '2023-01-15', cause: 'SEPARATED_AT_BORDER', childIds: ['c-1', 'c-2'], personal: { subjectId: 'c-1', place: 'the bridge' } } },
      { type: 'ServiceSuspended', data: { reason: 'funder paused' } },
      { type: 'ServiceResumed', data: {} },
      { type: 'ReunificationFailed', data: { childId: 'c-1', relativeId: 'r-1', reason: 'the mother declined' } },
    ];
    await append(1);
    await store.appendToStream(stream, v1.map((event) => ({ id: newEventId(), type: event.type, data: event.data, metadata: { schemaVersion: 1 } })), { expectedRevision: 1 });
    const stored = await collect(store.readStream(stream));
    expect(familyEventOf(stored[4]!).data).toEqual({ separatedOn: '2023-01-15', cause: 'SEPARATED_AT_BORDER', childIds: ['c-1', 'c-2'], places: [{ childId: 'c-1', personal: { subjectId: 'c-1', place: 'the bridge' } }] });
    expect(familyEventOf(stored[5]!).data).toEqual({ personal: { subjectId: CASE_SUBJECT_ID, reason: 'funder paused' } });
    expect(familyEventOf(stored[7]!).data).toEqual({ childId: 'c-1', relativeId: 'r-1', personal: { subjectId: 'r-1', reason: 'the mother declined' } });
    const point = await familyAt(store.readStream(stream), {});
    expect(point?.state.lifecycle).toBe('OPEN');
    // History shows the current shape at every scope, as the allowlist says: reasons from DOCUMENTS up, the place at FULL.
    const shown = (scope: 'FULL' | 'DOCUMENTS' | 'STATUS', index: number) => historyEventView({ ...stored[index]!, position: String(index) }, disclosureContext(point!.state, scope)).data;
    expect(shown('FULL', 5)).toEqual({ personal: { subjectId: CASE_SUBJECT_ID, reason: 'funder paused' } });
    expect(shown('DOCUMENTS', 7)).toMatchObject({ personal: { subjectId: 'r-1', reason: 'the mother declined' } });
    expect(shown('STATUS', 5)).toEqual({ redacted: ['personal.subjectId', 'personal.reason'] });
    expect(shown('FULL', 4)).toMatchObject({ places: [{ childId: 'c-1', personal: { subjectId: 'c-1', place: 'the bridge' } }] });
    expect(shown('DOCUMENTS', 4)).toMatchObject({ redacted: ['places'] });
  });

  it('version 2 languages (outside personal) read under personal in version 3; an erased person keeps none', async () => {
    const child = { childId: 'c-1', nationality: 'HN', languages: ['mam', 'es'], needsInterpreter: true, birthDateEstimated: false, ageReviewRequired: false, personal: { subjectId: 'c-1', givenName: 'Ana', birthDate: '2012-01-01' } };
    const erased = { relativeId: 'r-2', relationship: 'AUNT', biological: null, vitalStatus: 'ALIVE', adverse: false, languages: ['kiche'], needsInterpreter: false, personal: { subjectId: 'r-2', erased: true } };
    await append(2);
    await store.appendToStream(stream, [
      { id: newEventId(), type: 'ChildRegistered', data: child, metadata: { schemaVersion: 2 } },
      { id: newEventId(), type: 'RelativeAdded', data: erased, metadata: { schemaVersion: 2 } },
    ], { expectedRevision: 1 });
    const stored = await collect(store.readStream(stream));
    const { languages: _languages, ...withoutLanguages } = child;
    expect(familyEventOf(stored[2]!).data).toEqual({ ...withoutLanguages, personal: { ...child.personal, languages: ['mam', 'es'] } });
    expect(familyEventOf(stored[3]!).data).not.toHaveProperty('languages');
    expect(familyEventOf(stored[1]!).data).toMatchObject({ personal: { subjectId: 'r-1', givenName: 'Rosa' } });
    const point = await familyAt(store.readStream(stream), {});
    expect(point?.state.children.get('c-1')).toMatchObject({ languages: ['mam', 'es'], needsInterpreter: true });
    expect(point?.state.relatives.get('r-2')).toMatchObject({ languages: [], erased: true });
  });
});
