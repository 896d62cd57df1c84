import { CASE_SUBJECT_ID } from '../shared/case-subject.js';
import { FAMILY_EVENT_SCHEMA_VERSION, type FamilyEvent } from './events.js';

/**
 * The one upcasting point of the family stream: every reader that folds or projects stored
 * family events (the command handler's fold, the families, search and case-file projections,
 * the family as it was at a point in history) turns a stored event into the current domain event
 * here, never by casting its data. A stored event of an older schema version is carried forward
 * one version at a time by the upcasters registered for its type; a type without an upcaster for
 * a version had the same shape in the next one.
 *
 * Limits: the stored event is never rewritten (its hash covers the data as stored, and the
 * history and export show and verify that record); an event of a version newer than this code
 * knows fails closed (the reader stops rather than misreads it); an event without a schema
 * version (appended outside the command handler) is read as current.
 */

type Data = Readonly<Record<string, unknown>>;
/** Turns the data of one type at version `n` into its data at version `n + 1`. */
type Upcaster = (data: Data) => Data;

/** Version 1 kept a free-text `reason` outside `personal`: it moves under `personal`, as version 2 seals it, for `subjectId`. */
const reasonUnder = (subjectOf: (data: Data) => string): Upcaster => ({ reason, ...rest }) =>
  (reason === undefined ? rest : { ...rest, personal: { subjectId: subjectOf(rest), reason } });
const caseSubject = (): string => CASE_SUBJECT_ID;

/**
 * Version 2 kept a person's `languages` outside `personal`: they move under it. A personal part
 * that opened as erased keeps none: the person is a tombstone.
 */
const languagesUnderPersonal: Upcaster = ({ languages, ...rest }) => {
  const personal = rest['personal'] as Data | undefined;
  if (!Array.isArray(languages) || personal === undefined || personal['erased'] === true) return rest;
  return { ...rest, personal: { ...personal, languages } };
};

/** Version 3 kept an erasure's or a hold's `reference` outside `personal`: it moves under the case subject's. */
const referenceUnderCase: Upcaster = ({ reference, ...rest }) =>
  (reference === undefined ? rest : { ...rest, personal: { subjectId: CASE_SUBJECT_ID, reference } });

/**
 * Version 4 kept an age-out deadline's `dueOn` in the data: a DeadlineSet derived from the birth
 * date (SIJ_AGE_OUT with a basis and a child) gets it under the child's `personal`, where the fold
 * reads it. What version 4 stored stays plaintext in the event store, as stored. A version-4
 * DeadlineRecomputed names no child (its subject cannot be told from its data): its dates stay in
 * the data, which the fold still reads.
 */
const ageOutDayUnderChild: Upcaster = (data) => {
  const { dueOn, ...rest } = data;
  if (data['kind'] !== 'SIJ_AGE_OUT' || data['derivedFrom'] === undefined || typeof data['childId'] !== 'string' || dueOn === undefined) return data;
  return { ...rest, personal: { subjectId: data['childId'], dueOn } };
};

/**
 * Upcasters by event type and the version they read. Version 0 of RelativeAdded is the shape
 * from before relatives' languages were recorded (no `languages`, no `needsInterpreter`); this
 * code never wrote it (those events were stored as version 1 without the two fields, which the
 * type keeps optional), so it stands as the worked example of a changed shape.
 *
 * Version 1 to 2 (issue 13): the free-text reasons move under `personal` (the case subject's,
 * or the relative's for a failed reunification), and a separation's one place (sealed under the
 * first child's key) becomes that child's copy in `places`. What version 1 stored stays as
 * stored: a version-1 reason is plaintext in the event store (only new events are sealed), and
 * a version-1 place still goes with the first child's erasure.
 *
 * Version 2 to 3: a person's `languages` (ChildRegistered, RelativeAdded) move under `personal`;
 * stored before version 3 they stay plaintext in the event store, as stored.
 *
 * Version 3 to 4: the `reference` of SubjectErased and LegalHoldPlaced moves under `personal`
 * (the case subject's); stored before version 4 it stays plaintext, as stored.
 *
 * Version 4 to 5: a derived age-out DeadlineSet's `dueOn` moves under the child's `personal`.
 */
export const FAMILY_UPCASTERS: Readonly<Record<string, Readonly<Record<number, Upcaster>>>> = {
  RelativeAdded: {
    0: (data) => ({ ...data, languages: data['languages'] ?? [], needsInterpreter: data['needsInterpreter'] ?? false }),
    2: languagesUnderPersonal,
  },
  ChildRegistered: { 2: languagesUnderPersonal },
  ServiceSuspended: { 1: reasonUnder(caseSubject) },
  FamilyCaseReopened: { 1: reasonUnder(caseSubject) },
  StopWorkExceptionRecorded: { 1: reasonUnder(caseSubject) },
  ReunificationFailed: { 1: reasonUnder((data) => String(data['relativeId'])) },
  SubjectErased: { 3: referenceUnderCase },
  LegalHoldPlaced: { 3: referenceUnderCase },
  DeadlineSet: { 4: ageOutDayUnderChild },
  SeparationRecorded: {
    1: ({ personal, ...rest }) => {
      const subjectId = (personal as { subjectId?: unknown } | undefined)?.subjectId;
      return typeof subjectId === 'string' ? { ...rest, places: [{ childId: subjectId, personal }] } : rest;
    },
  },
};

export interface StoredEventLike {
  readonly type: string;
  readonly data: object;
  readonly metadata: object;
}

const versionOf = (stored: StoredEventLike): number => {
  const version = (stored.metadata as { schemaVersion?: unknown }).schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) ? version : FAMILY_EVENT_SCHEMA_VERSION;
};

/** The stored event with its data in the current schema version (the same object when it already is). */
export const upcastStoredFamilyEvent = <E extends StoredEventLike>(stored: E): E => {
  let version = versionOf(stored);
  if (version > FAMILY_EVENT_SCHEMA_VERSION) {
    throw new Error(`a ${stored.type} event of schema version ${String(version)} is newer than this tracker reads (${String(FAMILY_EVENT_SCHEMA_VERSION)})`);
  }
  if (version === FAMILY_EVENT_SCHEMA_VERSION) return stored;
  let data = stored.data as Data;
  for (; version < FAMILY_EVENT_SCHEMA_VERSION; version += 1) {
    const upcaster = FAMILY_UPCASTERS[stored.type]?.[version];
    if (upcaster) data = upcaster(data);
  }
  return { ...stored, data, metadata: { ...stored.metadata, schemaVersion: FAMILY_EVENT_SCHEMA_VERSION } };
};

/** A stored family event as the current domain event, for evolve. */
export const familyEventOf = (stored: StoredEventLike): FamilyEvent => {
  const current = upcastStoredFamilyEvent(stored);
  return { type: current.type, data: current.data } as FamilyEvent;
};
