import { upcastStoredFamilyEvent } from '../../services/family/upcast.js';
import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../services/event-store/port.js';
import { accessHolders } from '../../services/family/access-policy.js';
import { hiddenPersonIds } from '../../services/family/disclosure.js';
import type { FamilyEvent } from '../../services/family/events.js';
import { evolve } from '../../services/family/evolve.js';
import { initialFamilyState, type FamilyState } from '../../services/family/state.js';
import type { AccessScope } from '../../services/family/vocabulary.js';
import { compareInstants, toUtcInstant } from '../../services/shared/instant.js';
import { isErased } from '../../services/privacy/sealed-data.js';
import { EVENT_ALLOWLIST, type FieldRule } from '../families/allowlist.js';
import { decodeFamilyState, encodeFamilyState } from '../families/state-codec.js';
import { physicalTable, type BoundProjection, type Projection } from '../projection.js';
import { personRef, personTerms, type TermHasher } from './search-terms.js';

const FAMILY_STREAM_PREFIX = 'family-';

/** Who reads a posting: members of the organisation, or its AUDITOR keys (who see personal data only through a grant). */
export const AUDIENCE = { MEMBERS: 0, AUDITORS: 1 } as const;

/**
 * The scope a match needs: a name is seen from DOCUMENTS up; identifier values, phone numbers
 * and people hidden below FULL (adverse relatives, "never disclose to") only at FULL. The same
 * rules as the allowlist (projections/families/allowlist.ts: RelativeAdded.personal.phone and
 * IdentifierRecorded.personal.value are FULL, names DOCUMENTS); a person the caller's scope
 * does not show by a field is never found by it.
 */
const RANK: Readonly<Record<AccessScope, number>> = { STATUS: 1, DOCUMENTS: 2, FULL: 3 };
export const NAME_LEVEL = RANK.DOCUMENTS;
export const FULL_LEVEL = RANK.FULL;

/** The earliest instant of the normal form: an expiry that cannot be read has passed (fail closed). */
const ALREADY_EXPIRED = '0001-01-01T00:00:00.000Z';

/**
 * The search index (issue 15): a blind index in its own file (search-index-file.ts), fed by its
 * own projector like the other read models, each batch's rows and checkpoint in one
 * transaction.
 *
 * - `search_people`: one row per child or relative: its family's id (server-generated), a keyed
 *   hash of its person id (ids are chosen by clients, who may put a name in one: the resolver
 *   finds the id again among the family's people), and whether it is a child or a relative.
 * - `search_terms`: the keyed hashes of the person's normalised name words, phonetic keys, typo
 *   variants, identifier values and phone numbers (search-terms.ts); never a name, value or
 *   number.
 * - `search_postings`: the same terms copied per organisation that may find the person by them
 *   (and per audience: members, or auditors through a grant), with the latest expiry of the
 *   access that allows it. A search reads only the caller's own organisation's postings: a
 *   person the caller may not find is never looked at, so neither a count nor the time a search
 *   takes depends on them. Postings are rewritten whenever the family's access or hidden people
 *   change; expiry is judged at query time (an expired access's postings are the organisation's
 *   own former families: they cost time but are never returned).
 * - `search_families`: the folded family state the postings are derived from, folded from the
 *   events pseudonymised (`personal` values blanked, person ids and free words hashed: the access
 *   holders and hidden people depend on neither), so the file holds no name, birth date, phone
 *   number, client-chosen person id or purpose.
 */
/** Version 3: A-numbers also indexed padded to nine digits without the "A", Mexican mobiles without the dropped "1" (normalise.ts). */
export const createSearchProjection = (hash: TermHasher): Projection => ({
  name: 'search',
  version: 3,
  tables: {
    search_families: 'family_id TEXT PRIMARY KEY, state_json TEXT NOT NULL',
    search_people: 'person_key INTEGER PRIMARY KEY, family_id TEXT NOT NULL, person_ref INTEGER NOT NULL, person_kind TEXT NOT NULL, UNIQUE (family_id, person_ref)',
    search_terms: 'person_key INTEGER NOT NULL, term INTEGER NOT NULL, match INTEGER NOT NULL, PRIMARY KEY (person_key, term, match)',
    search_postings: `organization_id TEXT NOT NULL, audience INTEGER NOT NULL, term INTEGER NOT NULL, match INTEGER NOT NULL,
      person_key INTEGER NOT NULL, expires_at TEXT, PRIMARY KEY (organization_id, audience, term, match, person_key)`,
  },
  indexes: ['CREATE INDEX IF NOT EXISTS {search_postings}_person ON {search_postings} (person_key)'],
  bind: (db, table) => bindSearch(db, table, hash),
});

type EventRules = Readonly<Record<string, FieldRule | Readonly<Record<string, FieldRule>>>>;
/** Fields that hold person ids besides those the allowlist marks (`names`): a concern's "never disclose to" list. */
const PERSON_LISTS = new Set(['neverDiscloseTo']);
/**
 * Words written by people outside `personal` (consent purposes and the purpose of a referral or
 * grant, the reference of an erasure or hold, a translation's language): kept only as keyed
 * hashes, so the file holds none of them while equal words stay equal (a consent still covers
 * the purpose it names). Regression: search-index-holds-consent-purposes.
 */
const FREE_WORDS = new Set(['purposes', 'purpose', 'reference', 'language']);

/**
 * The event as the search index folds it: every value under `personal` blanked, and every
 * person id (the fields the allowlist marks as naming people) replaced by its keyed hash, so the
 * folded state holds neither names nor the ids clients chose. The same id always becomes the
 * same hash, so the fold (who is adverse, who is never to be disclosed to) stays consistent.
 */
const pseudonymised = (event: RecordedEvent, familyId: string, hash: TermHasher): FamilyEvent => {
  const rules: EventRules = Object.hasOwn(EVENT_ALLOWLIST, event.type) ? (EVENT_ALLOWLIST as unknown as Record<string, EventRules>)[event.type] ?? {} : {};
  const ref = (id: unknown): unknown => (typeof id === 'string' ? String(personRef(hash, familyId, id)) : id);
  const word = (text: unknown): unknown => (typeof text === 'string' ? String(hash('word', text)) : text);
  const data = Object.fromEntries(
    Object.entries(event.data).map(([field, value]) => {
      if (field === 'personal' && value !== null && typeof value === 'object') {
        return [field, Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, key === 'subjectId' ? ref(inner) : '']))];
      }
      if (FREE_WORDS.has(field)) return [field, Array.isArray(value) ? value.map(word) : word(value)];
      const names = (rules[field] as FieldRule | undefined)?.names;
      if (names === 'person') return [field, ref(value)];
      if ((names === 'people' || PERSON_LISTS.has(field)) && Array.isArray(value)) return [field, value.map(ref)];
      return [field, value];
    }),
  );
  return { type: event.type, data } as unknown as FamilyEvent;
};

interface PersonFacts {
  readonly kind: 'CHILD' | 'RELATIVE';
  readonly names?: string[];
  readonly identifiers?: string[];
  readonly phones?: string[];
}

/** The searchable facts an event records about one person, read from its `personal` part. */
const factsOf = (event: RecordedEvent, state: FamilyState, refOf: (personId: string) => string): { personId: string; facts: PersonFacts } | undefined => {
  const data = event.data as Record<string, unknown> & { personal?: Record<string, unknown> };
  const text = (value: unknown): string[] => (typeof value === 'string' && value !== '' ? [value] : []);
  // An erased person's personal data opens as erased (a rebuild after the erasure): nothing to index.
  if (isErased(data.personal)) return undefined;
  const personal = data.personal ?? {};
  switch (event.type) {
    case 'ChildRegistered':
      return { personId: String(data['childId']), facts: { kind: 'CHILD', names: [...text(personal['givenName']), ...text(personal['familyName'])] } };
    case 'RelativeAdded':
      return {
        personId: String(data['relativeId']),
        facts: { kind: 'RELATIVE', names: [...text(personal['givenName']), ...text(personal['familyName'])], phones: text(personal['phone']) },
      };
    case 'IdentifierRecorded': {
      const personId = String(data['personId']);
      return { personId, facts: { kind: state.children.has(refOf(personId)) ? 'CHILD' : 'RELATIVE', identifiers: text(personal['value']) } };
    }
    default:
      return undefined;
  }
};

/** Per organisation and audience, and per level a match needs, the latest expiry of the access that reaches it (null: none). */
const postingGrants = (state: FamilyState): Array<{ organizationId: string; audience: number; level: number; expiresAt: string | null }> => {
  const grants = new Map<string, { organizationId: string; audience: number; level: number; expiresAt: string | null }>();
  for (const holder of accessHolders(state)) {
    const audiences = holder.via === 'GRANT' ? [AUDIENCE.MEMBERS, AUDIENCE.AUDITORS] : [AUDIENCE.MEMBERS];
    for (const audience of audiences) {
      for (const level of [NAME_LEVEL, FULL_LEVEL]) {
        if (RANK[holder.scope] < level) continue;
        const key = `${holder.organizationId}/${String(audience)}/${String(level)}`;
        const expiresAt = holder.expiresAt === undefined ? null : (toUtcInstant(holder.expiresAt) ?? ALREADY_EXPIRED);
        const known = grants.get(key);
        const later = known === undefined ? expiresAt : known.expiresAt === null || expiresAt === null ? null : compareInstants(known.expiresAt, expiresAt) >= 0 ? known.expiresAt : expiresAt;
        grants.set(key, { organizationId: holder.organizationId, audience, level, expiresAt: later });
      }
    }
  }
  return [...grants.values()];
};

const bindSearch = (db: Database.Database, table: (base: string) => string, hash: TermHasher): BoundProjection => {
  const [families, people, terms, postings] = ['search_families', 'search_people', 'search_terms', 'search_postings'].map(table) as [string, string, string, string];
  const loadState = db.prepare(`SELECT state_json FROM ${families} WHERE family_id = ?`).pluck();
  const saveState = db.prepare(`INSERT INTO ${families} (family_id, state_json) VALUES (?, ?) ON CONFLICT (family_id) DO UPDATE SET state_json = excluded.state_json`);
  const addPerson = db.prepare(`INSERT INTO ${people} (family_id, person_ref, person_kind) VALUES (?, ?, ?) ON CONFLICT (family_id, person_ref) DO NOTHING`);
  const personKey = db.prepare(`SELECT person_key FROM ${people} WHERE family_id = ? AND person_ref = ?`).pluck();
  const addTerm = db.prepare(`INSERT OR IGNORE INTO ${terms} (person_key, term, match) VALUES (?, ?, ?)`);
  const clearPostings = db.prepare(`DELETE FROM ${postings} WHERE person_key IN (SELECT person_key FROM ${people} WHERE family_id = ?)`);
  const dropTerms = db.prepare(`DELETE FROM ${terms} WHERE person_key = ?`);
  const dropPerson = db.prepare(`DELETE FROM ${people} WHERE person_key = ?`);
  const dropPostings = db.prepare(`DELETE FROM ${postings} WHERE person_key = ?`);
  /** SubjectErased: everything indexed about the person goes (terms, postings, the person). */
  const forget = (familyId: string, personId: string): void => {
    const key = personKey.get(familyId, personRef(hash, familyId, personId)) as number | undefined;
    if (key === undefined) return;
    for (const statement of [dropPostings, dropTerms, dropPerson]) statement.run(key);
  };
  const writePostings = db.prepare(`INSERT OR IGNORE INTO ${postings} (organization_id, audience, term, match, person_key, expires_at)
    SELECT @organizationId, @audience, t.term, t.match, t.person_key, @expiresAt FROM ${terms} t JOIN ${people} p ON p.person_key = t.person_key
    WHERE p.family_id = @familyId
      AND (CASE WHEN t.match >= 3 OR p.person_ref IN (SELECT value FROM json_each(@hidden)) THEN ${String(FULL_LEVEL)} ELSE ${String(NAME_LEVEL)} END) = @level`);

  const rewritePostings = (familyId: string, state: FamilyState): void => {
    clearPostings.run(familyId);
    // The state's person ids are already keyed hashes (pseudonymised).
    const hidden = `[${[...hiddenPersonIds(state, 'DOCUMENTS')].join(',')}]`;
    for (const grant of postingGrants(state)) writePostings.run({ ...grant, familyId, hidden });
  };

  return {
    applyBatch(events: readonly RecordedEvent[]) {
      const touched = new Map<string, FamilyState>();
      for (const stored of events) {
        if (!stored.stream.startsWith(FAMILY_STREAM_PREFIX)) continue;
        const event = upcastStoredFamilyEvent(stored);
        const familyId = event.stream.slice(FAMILY_STREAM_PREFIX.length);
        const before = touched.get(familyId) ?? ((text: unknown) => (typeof text === 'string' ? decodeFamilyState(text) : initialFamilyState))(loadState.get(familyId));
        const state = evolve(before, pseudonymised(event, familyId, hash));
        touched.set(familyId, state);
        if (event.type === 'SubjectErased' && typeof event.data['subjectId'] === 'string') forget(familyId, event.data['subjectId']);
        const found = factsOf(event, state, (id) => String(personRef(hash, familyId, id)));
        if (!found) continue;
        const ref = personRef(hash, familyId, found.personId);
        addPerson.run(familyId, ref, found.facts.kind);
        const key = personKey.get(familyId, ref) as number;
        for (const term of personTerms(hash, found.facts)) addTerm.run(key, term.term, term.match);
      }
      for (const [familyId, state] of touched) {
        saveState.run(familyId, encodeFamilyState(state));
        rewritePostings(familyId, state);
      }
    },
  };
};

/**
 * Removes everything the index holds about one person (their terms and postings), by hand. Erasure
 * (SubjectErased) needs no call: the projection forgets the person when it applies the event, and
 * a rebuild finds their personal data erased and indexes nothing of them. Returns whether the
 * person was in the index.
 */
export const removePersonFromSearchIndex = (db: Database.Database, hash: TermHasher, familyId: string, personId: string): boolean =>
  db.transaction(() => {
    let found = false;
    // Every version's tables: a new version being built beside the serving one holds the person too.
    for (const version of physicalVersions(db)) {
      const [people, terms, postings] = ['search_people', 'search_terms', 'search_postings'].map((base) => physicalTable(base, version)) as [string, string, string];
      const key = db.prepare(`SELECT person_key FROM ${people} WHERE family_id = ? AND person_ref = ?`).pluck().get(familyId, personRef(hash, familyId, personId)) as number | undefined;
      if (key === undefined) continue;
      found = true;
      db.prepare(`DELETE FROM ${postings} WHERE person_key = ?`).run(key);
      db.prepare(`DELETE FROM ${terms} WHERE person_key = ?`).run(key);
      db.prepare(`DELETE FROM ${people} WHERE person_key = ?`).run(key);
    }
    return found;
  }).immediate();

const physicalVersions = (db: Database.Database): number[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'search_people__v[0-9]*'").pluck().all() as string[]).map((name) => Number(name.split('__v')[1]));
