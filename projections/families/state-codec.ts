import type { JsonValue } from '../../services/event-store/port.js';
import type { CalendarDate } from '../../services/shared/calendar-date.js';
import type { ChildState, DeadlineState, FamilyState, PlacementChange, RelativeState } from '../../services/family/state.js';
import { familyDataKeyId, subjectOfDataKeyId } from '../../services/privacy/data-key-id.js';
import { isSealedValue, openSealed, subjectOfSealed, type ReadModelPlace } from '../../services/privacy/read-model-sealer.js';
import { isErased, type ErasedPersonal } from '../../services/privacy/sealed-data.js';

/**
 * The family state as JSON for the read model's snapshot column: Maps and Sets become tagged
 * arrays, and object keys are sorted, so the same state always encodes to the same text however
 * it was built (regression: a family folded in one pass and one decoded and then evolved put
 * `separatedOn` in different places, and `projections check` reported the rows as different).
 *
 * Personal values are sealed per person (services/privacy/read-model-sealer.ts) when a sealer
 * is given: a child's given name, birth date, medical needs and languages, a relative's given
 * name and languages (one sealed `sealed` field per person, under the person's id as subject),
 * and the facility of each placement step (its `personal`), and an age-out deadline's day (from
 * the birth date: `personalDueOn`, sealed under the child; erased, it decodes as no day). Ids, relationships, statuses and
 * dates of steps stay readable. Decoding opens them; a person whose key was destroyed decodes
 * to the erased shape (`erasedPerson`). The sealing is deterministic, so the same state still
 * encodes to the same text.
 */
const reviver = (_key: string, value: unknown): unknown => {
  if (value !== null && typeof value === 'object') {
    if ('$map' in value) return new Map((value as { $map: Array<[string, unknown]> }).$map);
    if ('$set' in value) return new Set((value as { $set: unknown[] }).$set);
  }
  return value;
};

/** Seals one person's values at a place of the row (ReadModelSealer). */
export interface StateSealer {
  seal(place: ReadModelPlace, subjectId: string, value: JsonValue): string;
}
/** Opens a sealed value (ReadModelSealer, or `openSealed` with every active key source). */
export interface StateOpener {
  open(place: ReadModelPlace, text: string): JsonValue | ErasedPersonal;
}

const CHILD_FIELDS = ['givenName', 'birthDate', 'medicalNeeds', 'languages'] as const;
const RELATIVE_FIELDS = ['givenName', 'languages'] as const;

/** A person whose data key was destroyed, as the read models show them: no name, no birth date, no languages, `erased: true`. */
export type Erased<P> = P & { readonly erased: true };

/**
 * The erased shape of a child or relative (one definition, for resolvers and exports): the
 * personal fields null (medical needs undefined, languages empty), everything that is not
 * personal (ids, relationship, statuses, dates of steps) as it was, and `erased: true`.
 * The types of the personal fields say string: readers check `isErasedPerson` first.
 */
export const erasedPerson = <P extends ChildState | RelativeState>(person: P): Erased<P> => {
  const fields: Record<string, unknown> = { givenName: null, languages: [] };
  if ('childId' in person) Object.assign(fields, { birthDate: null, medicalNeeds: undefined });
  return { ...person, ...fields, erased: true };
};

export const isErasedPerson = (person: ChildState | RelativeState): boolean => (person as { erased?: unknown }).erased === true;

/** An erased placement step's personal part: the facility is gone. */
const erasedPlacementPersonal = (subjectId: string) => ({ subjectId, facility: null, erased: true }) as unknown as NonNullable<PlacementChange['personal']>;

const pick = (person: object, fields: readonly string[]): { personal: Record<string, JsonValue>; rest: Record<string, unknown> } => {
  const personal: Record<string, JsonValue> = {};
  const rest: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(person)) {
    if (field === 'erased') continue;
    if (fields.includes(field)) {
      if (value !== undefined) personal[field] = value as JsonValue;
    } else rest[field] = value;
  }
  return { personal, rest };
};

const placeOf = (readModel: string, familyId: string, field: string): ReadModelPlace => ({ readModel, rowKey: familyId, field });

/** Sealed under the person's key within their family (data-key-id.ts): the row key is the family id. */
const keyOf = (at: (field: string) => ReadModelPlace, subjectId: string): string => familyDataKeyId(at('').rowKey, subjectId);

const sealedChild = (child: ChildState, sealer: StateSealer, at: (field: string) => ReadModelPlace): object => {
  const { personal, rest } = pick(child, CHILD_FIELDS);
  const placementHistory = child.placementHistory.map((step, index) =>
    step.personal ? { ...step, personal: sealer.seal(at(`child:${child.childId}:placement:${String(index)}`), keyOf(at, step.personal.subjectId), { facility: step.personal.facility }) } : step);
  return { ...rest, placementHistory, sealed: sealer.seal(at(`child:${child.childId}`), keyOf(at, child.childId), personal) };
};

const sealedRelative = (relative: RelativeState, sealer: StateSealer, at: (field: string) => ReadModelPlace): object => {
  const { personal, rest } = pick(relative, RELATIVE_FIELDS);
  return { ...rest, sealed: sealer.seal(at(`relative:${relative.relativeId}`), keyOf(at, relative.relativeId), personal) };
};

/** An age-out's day (from the birth date) sealed under the child; any other deadline as it is. */
const sealedDeadline = (deadline: DeadlineState, sealer: StateSealer, at: (field: string) => ReadModelPlace): object =>
  (deadline.personalDueOn === true && deadline.dueOn !== undefined && deadline.childId !== undefined
    ? { ...deadline, dueOn: sealer.seal(at(`deadline:${deadline.deadlineId}`), keyOf(at, deadline.childId), deadline.dueOn) }
    : deadline);

const openedDeadline = (deadline: DeadlineState, opener: StateOpener, at: (field: string) => ReadModelPlace): DeadlineState => {
  if (!isSealedValue(deadline.dueOn)) return deadline;
  const value = opener.open(at(`deadline:${deadline.deadlineId}`), deadline.dueOn);
  return { ...deadline, dueOn: isErased(value) ? undefined : (value as CalendarDate) };
};

type Stored<P> = P & { readonly sealed?: string };

const openedPerson = <P extends ChildState | RelativeState>(person: Stored<P>, place: ReadModelPlace, opener: StateOpener): P => {
  if (typeof person.sealed !== 'string') return person;
  const { sealed, ...rest } = person;
  const value = opener.open(place, sealed);
  return isErased(value) ? erasedPerson(rest as unknown as P) : ({ ...rest, ...(value as object) } as P);
};

const openedChild = (child: Stored<ChildState>, opener: StateOpener, at: (field: string) => ReadModelPlace): ChildState => {
  const opened = openedPerson(child, at(`child:${child.childId}`), opener);
  const placementHistory = opened.placementHistory.map((step, index): PlacementChange => {
    const personal = step.personal as unknown;
    if (typeof personal !== 'string') return step;
    const value = opener.open(at(`child:${child.childId}:placement:${String(index)}`), personal);
    return { ...step, personal: isErased(value) ? erasedPlacementPersonal(subjectOfDataKeyId(value.subjectId)) : { subjectId: subjectOfDataKeyId(subjectOfSealed(personal)), ...(value as { facility: string }) } };
  });
  return { ...opened, placementHistory };
};

const openedState = (state: FamilyState, opener: StateOpener, readModel: string): FamilyState => {
  const at = (field: string): ReadModelPlace => placeOf(readModel, state.familyId, field);
  const deadlines = [...state.deadlines.values()].some((deadline) => isSealedValue(deadline.dueOn))
    ? new Map([...state.deadlines].map(([id, deadline]) => [id, openedDeadline(deadline, opener, at)]))
    : state.deadlines;
  if (![...state.children.values(), ...state.relatives.values()].some((person) => typeof (person as Stored<ChildState>).sealed === 'string')) return { ...state, deadlines };
  return {
    ...state,
    deadlines,
    children: new Map([...state.children].map(([id, child]) => [id, openedChild(child, opener, at)])),
    relatives: new Map([...state.relatives].map(([id, relative]) => [id, openedPerson(relative, at(`relative:${relative.relativeId}`), opener)])),
  };
};

/** The read model whose rows a snapshot belongs to (part of each sealed value's place). */
const FAMILIES = 'families';

/**
 * Encoded text of the parts of one family's state, by the object each encodes, for one sealer
 * and read model: the fold never changes an object it made (evolve returns new objects for what
 * an event changes and shares the rest), so an object met again encodes to the text it had, and
 * a family written again re-encodes and re-seals only what its events changed. Held beside the
 * family's kept state (families-projection.ts); weak, so parts no state holds any more go.
 * Sealed texts (a person's sealed form, the entries of maps whose values are sealed) are kept
 * apart from plain ones, so an object met both ways keeps both texts.
 * Limit: a person's values sealed before their key was destroyed stay as sealed while their
 * object does not change (a fresh encoding would give the erased token); both open as erased.
 */
export class EncodingMemo {
  readonly texts = new WeakMap<object, string>();
  /** Sealed texts by object (a person's sealed form, a map of sealed persons), apart from `texts`: an object met both sealed and plain keeps both texts. */
  readonly sealedTexts = new WeakMap<object, string>();
  /** A map entry's whole text (`[key,value]`) by its value object, with the key it was under. */
  readonly entries = new WeakMap<object, { readonly key: unknown; readonly text: string }>();
  /** The same for the entries of maps whose values are sealed (children, relatives, deadlines). */
  readonly sealedEntries = new WeakMap<object, { readonly key: unknown; readonly text: string }>();
  constructor(
    readonly familyId: string,
    readonly sealer: StateSealer | undefined,
    readonly readModel: string = FAMILIES,
  ) {}
}

/** Parts kept in the memo: the state's own values (depth 1) and the entries of its maps and sets (depth 2) and of theirs (depth 3: the hand-off facts); deeper ones are small. */
const MEMO_DEPTH = 3;

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical JSON of a value, exactly what `JSON.stringify` gives with a replacer that tags
 * Maps and Sets and sorts object keys (the encoding of earlier versions: undefined members left
 * out, null in arrays), without a sorted copy of every object. Undefined for a value JSON leaves out.
 */
const canonical = (value: unknown, memo: EncodingMemo | undefined, depth: number, person?: (value: object) => object): string | undefined => {
  if (value === null) return 'null';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return JSON.stringify(value);
  if (type !== 'object') return undefined;
  const object = value as object;
  const texts = memo && depth <= MEMO_DEPTH ? (person ? memo.sealedTexts : memo.texts) : undefined;
  const known = texts?.get(object);
  if (known !== undefined) return known;
  const text = canonicalObject(object, memo, depth, person);
  texts?.set(object, text);
  return text;
};

const element = (value: unknown, memo: EncodingMemo | undefined, depth: number, person?: (value: object) => object): string => canonical(value, memo, depth, person) ?? 'null';

const canonicalObject = (object: object, memo: EncodingMemo | undefined, depth: number, person?: (value: object) => object): string => {
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return canonical((object as { toJSON: () => unknown }).toJSON(), memo, depth) ?? 'null';
  if (object instanceof Map) {
    // The entry's value is a person to seal when `person` is given (children, relatives).
    const entryTexts = memo && depth < MEMO_DEPTH ? (person ? memo.sealedEntries : memo.entries) : undefined;
    const entries = [...(object as Map<unknown, unknown>)].map(([key, entry]) => {
      const isObject = entry !== null && typeof entry === 'object';
      const known = isObject ? entryTexts?.get(entry) : undefined;
      if (known !== undefined && known.key === key) return known.text;
      const text = `[${element(key, memo, depth + 1)},${isObject && person ? personText(entry, memo, depth + 1, person) : element(entry, memo, depth + 1)}]`;
      if (isObject) entryTexts?.set(entry, { key, text });
      return text;
    });
    return `{"$map":[${entries.join(',')}]}`;
  }
  if (object instanceof Set) return `{"$set":[${[...(object as Set<unknown>)].map((entry) => element(entry, memo, depth + 1)).join(',')}]}`;
  if (Array.isArray(object)) return `[${object.map((entry) => element(entry, memo, depth + 1)).join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(object).sort(compareKeys)) {
    const text = canonical((object as Record<string, unknown>)[key], memo, depth + 1);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
};

/** A person's sealed form as text, kept by the person's object (the sealed copy is made anew each time). */
const personText = (entry: object, memo: EncodingMemo | undefined, depth: number, person: (value: object) => object): string => {
  const known = memo?.sealedTexts.get(entry);
  if (known !== undefined) return known;
  const text = canonicalObject(person(entry), undefined, depth);
  memo?.sealedTexts.set(entry, text);
  return text;
};

const sealedStateText = (state: FamilyState, sealer: StateSealer, readModel: string, memo: EncodingMemo | undefined): string => {
  const at = (field: string): ReadModelPlace => placeOf(readModel, state.familyId, field);
  const sealers: Record<string, (value: object) => object> = {
    children: (child) => sealedChild(child as ChildState, sealer, at),
    relatives: (relative) => sealedRelative(relative as RelativeState, sealer, at),
    deadlines: (deadline) => sealedDeadline(deadline as DeadlineState, sealer, at),
  };
  const members: string[] = [];
  for (const key of Object.keys(state).sort(compareKeys)) {
    const text = canonical((state as unknown as Record<string, unknown>)[key], memo, 1, sealers[key]);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
};

/**
 * The state's snapshot text. With `memo` (made for this family, sealer and read model), parts
 * met in an earlier call are not encoded or sealed again; the text is the same either way.
 */
export const encodeFamilyState = (state: FamilyState, sealer?: StateSealer, readModel = FAMILIES, memo?: EncodingMemo): string => {
  const usable = memo && memo.familyId === state.familyId && memo.sealer === sealer && memo.readModel === readModel ? memo : undefined;
  return sealer ? sealedStateText(state, sealer, readModel, usable) : (canonical(state, usable, 0) ?? 'null');
};

/** Opens with `opener`, by default with the keys of every active sealer (the read side). Plaintext snapshots decode as they are. */
export const decodeFamilyState = (text: string, opener: StateOpener = { open: openSealed }, readModel = FAMILIES): FamilyState =>
  openedState(JSON.parse(text, reviver) as FamilyState, opener, readModel);
