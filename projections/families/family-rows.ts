import { accessHolders, type AccessVia } from '../../services/family/access-policy.js';
import type { DeadlineState, FamilyState } from '../../services/family/state.js';
import type { DayPlace } from './sealed-day.js';
import { familySeenAt, hiddenPersonIds } from '../../services/family/disclosure.js';
import { isSought } from '../../services/family/child-relations.js';
import { nextDeadline, reunificationStatus, type ReunificationStatus } from '../../services/family/status.js';
import type { AccessScope } from '../../services/family/vocabulary.js';

/** The scopes, with the bit each has in an audience mask (`shown_to`, `audience`): STATUS 1, DOCUMENTS 2, FULL 4 (1 << (viewer_scope - 1)). */
export const SCOPE_BITS: ReadonlyArray<readonly [AccessScope, number]> = [['FULL', 4], ['DOCUMENTS', 2], ['STATUS', 1]];
export const EVERY_SCOPE = 7;

/** A state as the scopes below FULL may see it, and the people hidden from each. */
interface SeenBelowFull {
  readonly hidden: Readonly<Record<'DOCUMENTS' | 'STATUS', ReadonlySet<string>>>;
  readonly seen: Readonly<Record<'DOCUMENTS' | 'STATUS', FamilyState>>;
}

const sameMembers = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((id) => b.has(id));

/**
 * familySeenAt of a state for DOCUMENTS and STATUS, computed once per state object (the fold
 * never changes a state it made, so the same object always gives the same answer): the
 * projection asks for each event's state, then again for its columns and rows when it writes.
 * Two scopes that hide the same people see the same state object.
 */
const seenBelowFull = new WeakMap<FamilyState, SeenBelowFull>();
const seenBelowFullOf = (state: FamilyState): SeenBelowFull => {
  const documents = hiddenPersonIds(state, 'DOCUMENTS');
  const status = hiddenPersonIds(state, 'STATUS');
  const seenAtDocuments = familySeenAt(state, 'DOCUMENTS', documents);
  return {
    hidden: { DOCUMENTS: documents, STATUS: status },
    seen: { DOCUMENTS: seenAtDocuments, STATUS: sameMembers(documents, status) ? seenAtDocuments : familySeenAt(state, 'STATUS', status) },
  };
};
const seenOf = (state: FamilyState): SeenBelowFull => {
  let known = seenBelowFull.get(state);
  if (!known) {
    known = seenBelowFullOf(state);
    seenBelowFull.set(state, known);
  }
  return known;
};

const NOBODY: ReadonlySet<string> = new Set();
const hiddenAt = (state: FamilyState, scope: AccessScope): ReadonlySet<string> => (scope === 'FULL' ? NOBODY : seenOf(state).hidden[scope]);
const seenAt = (state: FamilyState, scope: AccessScope): FamilyState => (scope === 'FULL' ? state : seenOf(state).seen[scope]);

const statusesSeen = (state: FamilyState, seen: SeenBelowFull['seen']): Record<AccessScope, ReunificationStatus> => {
  const full = reunificationStatus(state);
  const documents = seen.DOCUMENTS === state ? full : reunificationStatus(seen.DOCUMENTS);
  const status = seen.STATUS === seen.DOCUMENTS ? documents : seen.STATUS === state ? full : reunificationStatus(seen.STATUS);
  return { FULL: full, DOCUMENTS: documents, STATUS: status };
};

/** The family's status as each scope may know it (familySeenAt: people hidden from a scope change nothing for it). */
export const statusByScope = (state: FamilyState): Record<AccessScope, ReunificationStatus> => statusesSeen(state, seenOf(state).seen);

/**
 * A family's statuses per scope with the parts of its state they were computed from: the
 * state's own values (by property) that the computation read, each as the object it was.
 */
export interface StatusReading {
  readonly statuses: Record<AccessScope, ReunificationStatus>;
  readonly parts: ReadonlyArray<readonly [string | symbol, unknown]>;
}

/** The list of the state's properties, as a part (read by a spread or an enumeration): compared as text. */
const OWN_KEYS = Symbol('own keys');
const partOf = (state: FamilyState, key: string | symbol): unknown => (key === OWN_KEYS ? Reflect.ownKeys(state).map(String).join(',') : Reflect.get(state, key));

/**
 * statusByScope of `state`, or `previous` itself when every part of the state it was computed
 * from is the same object in `state`. Sound because the statuses are a pure function of the
 * state, the fold never changes an object it made (evolve returns new objects for what an event
 * changes and shares the rest), and what the computation read is recorded, not listed: it runs
 * on a Proxy of the state that notes each property read (and on Proxies of each scope's view of
 * it, whose reads count as reads of the state's property of that name), so a change to the
 * status rules or to familySeenAt cannot leave a part out. A property only copied by a spread
 * (`{ ...state }` in familySeenAt) is not a read: what is read of the copy is noted on the view;
 * the list of properties that a spread or enumeration reads is a part too. Limit: a value read
 * only through Object.getOwnPropertyDescriptor would be taken for a copy (no status rule does).
 * Most events change no part the statuses read (deadlines, consents, assignments, contact), so
 * the projection computes them again only for the events that do.
 */
export const statusReadingOf = (state: FamilyState, previous?: StatusReading): StatusReading => {
  if (previous && previous.parts.every(([key, value]) => partOf(state, key) === value)) return previous;
  const read = new Set<string | symbol>();
  const noting = <T extends object>(target: T): T => {
    let copying: string | symbol | undefined;
    return new Proxy(target, {
      get(object, key) {
        const copied = key === copying;
        copying = undefined;
        if (!copied) read.add(key);
        return Reflect.get(object, key) as unknown;
      },
      getOwnPropertyDescriptor(object, key) {
        copying = key;
        return Reflect.getOwnPropertyDescriptor(object, key);
      },
      has(object, key) {
        copying = undefined;
        read.add(key);
        return Reflect.has(object, key);
      },
      ownKeys(object) {
        read.add(OWN_KEYS);
        return Reflect.ownKeys(object);
      },
    });
  };
  const watched = noting(state);
  const { seen } = seenBelowFullOf(watched);
  const view = (scope: FamilyState): FamilyState => (scope === watched ? watched : noting(scope));
  const documents = view(seen.DOCUMENTS);
  const statuses = statusesSeen(watched, { DOCUMENTS: documents, STATUS: seen.STATUS === seen.DOCUMENTS ? documents : view(seen.STATUS) });
  return { statuses, parts: [...read].map((key) => [key, partOf(state, key)] as const) };
};

/** A deadline's day as a column keeps it (sealed-day.ts: sealed when it came from the birth date), null when unknown. */
export type KeptDay = (deadline: DeadlineState, place: DayPlace) => string | null;
const plainDay: KeptDay = (deadline) => deadline.dueOn ?? null;

/**
 * The columns of a family's rows, derived from its folded state. Status and the count of relatives
 * still sought are kept per scope, each from the family as that scope may see it.
 */
export const familyColumns = (state: FamilyState, statuses: Record<AccessScope, ReunificationStatus> = statusByScope(state), dayAt: KeptDay = plainDay) => {
  const deadline = nextDeadline(state);
  const ageOut = [...state.deadlines.values()]
    .filter((d) => d.kind === 'SIJ_AGE_OUT' && d.status === 'OPEN' && d.dueOn !== undefined)
    .sort((a, b) => (a.dueOn! < b.dueOn! ? -1 : a.dueOn! > b.dueOn! ? 1 : 0))[0];
  const unlocatedAt = (scope: AccessScope): number => [...seenAt(state, scope).relatives.values()].filter(isSought).length;
  return {
    leadOrganizationId: state.leadOrganizationId,
    programme: state.programme ?? null,
    status: statuses.FULL,
    statusAtDocuments: statuses.DOCUMENTS,
    statusAtStatus: statuses.STATUS,
    country: [...state.children.values()][0]?.nationality ?? null,
    separatedOn: state.separatedOn ?? null,
    nextDeadlineOn: deadline ? dayAt(deadline, 'families.next_deadline_on') : null,
    nextDeadlineKind: deadline?.kind ?? null,
    earliestAgeOutOn: ageOut ? dayAt(ageOut, 'families.earliest_age_out_on') : null,
    unlocatedRelatives: unlocatedAt('FULL'),
    unlocatedAtDocuments: unlocatedAt('DOCUMENTS'),
    unlocatedAtStatus: unlocatedAt('STATUS'),
  };
};

/** The access rows of a family: the same holders the write policy judges (services/family/access-policy.ts). */
export const accessRows = (state: FamilyState): Array<{ organizationId: string; scope: string; expiresAt: string | null; via: AccessVia }> =>
  accessHolders(state).map(({ organizationId, scope, expiresAt, via }) => ({ organizationId, scope, expiresAt: expiresAt ?? null, via }));

/** One row's values after the family id, in the table's column order. */
export type RowValues = ReadonlyArray<string | number | null>;

/**
 * The rows a family has beside its own row, each keyed by what identifies it within the family:
 * relatives (by relative id), deadlines (by deadline id), access (by organisation and way, the
 * first holder of a key winning as `INSERT OR IGNORE` did). Derived from the state alone, so the
 * rows of a state decoded from its snapshot are the rows written when it was encoded.
 */
export interface FamilyChildRows {
  readonly relatives: ReadonlyMap<string, RowValues>;
  readonly deadlines: ReadonlyMap<string, RowValues>;
  readonly access: ReadonlyMap<string, RowValues>;
}

export const familyChildRows = (state: FamilyState, expiryRow: (expiresAt: string) => string, dayAt: KeptDay = plainDay): FamilyChildRows => {
  const hidden = SCOPE_BITS.map(([scope, bit]) => [hiddenAt(state, scope), bit] as const);
  const shownTo = (relativeId: string): number => hidden.reduce((mask, [ids, bit]) => (ids.has(relativeId) ? mask : mask | bit), 0);
  const relatives = new Map<string, RowValues>();
  for (const r of state.relatives.values()) relatives.set(r.relativeId, [r.relativeId, r.relationship, r.location, r.locatedCountry ?? null, r.soughtSince ?? null, shownTo(r.relativeId)]);
  const deadlines = new Map<string, RowValues>();
  // An erased child's age-out has no day: '' (the column is NOT NULL; families_day opens it as null, so no filter matches it).
  for (const d of state.deadlines.values()) deadlines.set(d.deadlineId, [d.deadlineId, d.kind, dayAt(d, 'family_deadlines.due_on') ?? '', d.status]);
  const access = new Map<string, RowValues>();
  for (const a of accessRows(state)) {
    const key = JSON.stringify([a.organizationId, a.via]);
    if (!access.has(key)) access.set(key, [a.organizationId, a.scope, a.expiresAt === null ? null : expiryRow(a.expiresAt), a.via]);
  }
  return { relatives, deadlines, access };
};

/** The same values in the same order (rows are compared before they are rewritten). */
export const sameRow = (a: RowValues | undefined, b: RowValues): boolean => a !== undefined && a.length === b.length && a.every((value, i) => value === b[i]);
