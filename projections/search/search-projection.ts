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
import { SizedLru } from '../families/family-state-cache.js';
import { decodeFamilyState, encodeFamilyState, EncodingMemo } from '../families/state-codec.js';
import { physicalTable, type BoundProjection, type Projection } from '../projection.js';
import { memoisedHasher, personRef, personTerms, type TermHasher } from './search-terms.js';

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
 * - `search_families`: the folded family state the postings are derived from (and the revision
 *   of the family's last event in it), folded from the events pseudonymised (`personal` values
 *   blanked, person ids hashed, every other string hashed unless its field is listed as plain:
 *   PLAIN_FIELDS; the access holders and hidden people depend on none of them), so the file
 *   holds no name, birth date, phone number, client-chosen id, purpose or other free word.
 *
 * Version 3: A-numbers also indexed padded to nine digits without the "A", Mexican mobiles
 * without the dropped "1" (normalise.ts).
 * Version 4: unlisted strings hashed (deny by default; earlier versions hashed a listed set of
 * free words), and `search_families.revision`. Proportional to the change (issue 17 item 3):
 * the folded states of the families written last are kept between batches with their encoding
 * memo (as the families projection keeps its own), and a family's postings are written for what
 * changed (an access added, ended or re-dated; people who gained terms), all of them again only
 * when its hidden people change.
 */
export const createSearchProjection = (hash: TermHasher): Projection => ({
  name: 'search',
  version: 4,
  tables: {
    search_families: 'family_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, state_json TEXT NOT NULL',
    search_people: 'person_key INTEGER PRIMARY KEY, family_id TEXT NOT NULL, person_ref INTEGER NOT NULL, person_kind TEXT NOT NULL, UNIQUE (family_id, person_ref)',
    search_terms: 'person_key INTEGER NOT NULL, term INTEGER NOT NULL, match INTEGER NOT NULL, PRIMARY KEY (person_key, term, match)',
    search_postings: `organization_id TEXT NOT NULL, audience INTEGER NOT NULL, term INTEGER NOT NULL, match INTEGER NOT NULL,
      person_key INTEGER NOT NULL, expires_at TEXT, PRIMARY KEY (organization_id, audience, term, match, person_key)`,
  },
  indexes: ['CREATE INDEX IF NOT EXISTS {search_postings}_person ON {search_postings} (person_key)'],
  bind: (db, table) => bindSearch(db, table, memoisedHasher(hash)),
});

type EventRules = Readonly<Record<string, FieldRule | Readonly<Record<string, FieldRule>>>>;
/** Fields that hold person ids besides those the allowlist marks (`names`): a concern's "never disclose to" list. */
const PERSON_LISTS = new Set(['neverDiscloseTo']);
/** Fields that name people in some event: inside nested objects (a separation's `places`) they are person ids too. */
const PERSON_FIELDS: ReadonlySet<string> = new Set([
  ...PERSON_LISTS,
  ...Object.values(EVENT_ALLOWLIST as unknown as Record<string, EventRules>).flatMap((rules) =>
    Object.entries(rules).filter(([, rule]) => (rule as FieldRule | undefined)?.names === 'person' || (rule as FieldRule | undefined)?.names === 'people').map(([field]) => field)),
]);
const NESTED_RULES: EventRules = Object.fromEntries([...PERSON_FIELDS].map((field) => [field, { names: 'person' } satisfies FieldRule]));

/**
 * The only fields whose text the search index keeps as written (deny by default: every other
 * string of an event, in a field listed nowhere, a new field included, becomes a keyed hash).
 * They are what the fold needs to name who holds access and when it ends, plus codes and days
 * that carry no words of a person: organisation ids (postings are per organisation), ids the
 * server makes, the vocabulary's codes (services/family/vocabulary.ts, roles, command names),
 * country and jurisdiction codes (ISO 3166, checked by the deciders), and the days and instants of case steps and of access (an expiry must stay
 * comparable). Not listed, so hashed: consent purposes, a referral's or grant's purpose, a
 * translation's language, a deadline's basis and days (an age-out's day
 * tells the birth date), and every id a client chooses (consent, concern, document, matter,
 * referral, grant, hold ids...: equal ids stay equal, so the fold still pairs them up).
 * Person ids are keyed person refs (personRef), `personal` values are blanked.
 */
export const PLAIN_FIELDS: ReadonlySet<string> = new Set([
  // organisations and server-made ids
  'leadOrganizationId', 'organizationId', 'toOrganizationId', 'fromOrganizationId', 'defenderOrganizationId', 'assignedOrganizationId',
  'recipientOrganizationIds', 'familyId', 'otherFamilyId',
  // codes of the vocabulary, roles, command names, country codes
  'programme', 'relationship', 'vitalStatus', 'kind', 'personKind', 'scope', 'agency', 'placement', 'method', 'preference', 'documentType',
  'matterType', 'orderType', 'decision', 'outcome', 'result', 'channel', 'cause', 'category', 'gate', 'role', 'commandType',
  'country', 'region', 'nationality', 'issuingCountry', 'jurisdiction',
  // days and instants of case steps and of access
  'arrivalDate', 'detainedOn', 'releasedOn', 'transferredOn', 'repatriatedOn', 'changedOn', 'separatedOn', 'startedOn', 'locatedOn',
  'reunifiedOn', 'openedOn', 'filedOn', 'hearingOn', 'issuedOn', 'recoveredOn', 'decidedOn', 'expiresOn', 'expiresAt', 'acknowledgeBy',
  'previousLeadReadAccessUntil',
]);
/** Fields plain only in these events, where they hold a code (elsewhere a `reason` is free text). */
const PLAIN_IN_EVENT: Readonly<Record<string, ReadonlySet<string>>> = {
  FamilyCaseClosed: new Set(['reason']),
  SubjectErased: new Set(['reason']),
  LegalHoldPlaced: new Set(['reason']),
};

/**
 * The data of an event as the search index folds it: every value under `personal` blanked,
 * every person id (the fields the allowlist marks as naming people) replaced by its keyed hash,
 * and every other string kept only if its field is listed in PLAIN_FIELDS, else replaced by its
 * keyed hash (regression: search-index-kept-unlisted-text-in-plaintext). The same text always
 * becomes the same hash, so the fold (who is adverse, who is never to be disclosed to, which
 * referral an acceptance answers) stays consistent, and the folded state holds no name, id a
 * client chose, or word anyone wrote.
 */
export const pseudonymisedData = (type: string, data: Readonly<Record<string, unknown>>, familyId: string, hash: TermHasher): Record<string, unknown> => {
  const rules: EventRules = Object.hasOwn(EVENT_ALLOWLIST, type) ? (EVENT_ALLOWLIST as unknown as Record<string, EventRules>)[type] ?? {} : {};
  const context: Pseudonymising = { familyId, hash, plainHere: PLAIN_IN_EVENT[type] };
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(data)) out[field] = pseudonymisedValue(context, field, data[field], rules, true);
  return out;
};

interface Pseudonymising {
  readonly familyId: string;
  readonly hash: TermHasher;
  readonly plainHere: ReadonlySet<string> | undefined;
}

const refOf = (context: Pseudonymising, id: unknown): unknown => (typeof id === 'string' ? String(personRef(context.hash, context.familyId, id)) : id);

// Module-level functions, not closures made per event: a rebuild pseudonymises every event.
const pseudonymisedValue = (context: Pseudonymising, field: string, inner: unknown, fieldRules: EventRules, top: boolean): unknown => {
  if (field === 'personal' && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
    const blanked: Record<string, unknown> = {};
    for (const [key, personal] of Object.entries(inner)) blanked[key] = key === 'subjectId' ? refOf(context, personal) : '';
    return blanked;
  }
  const names = (fieldRules[field] as FieldRule | undefined)?.names;
  if (names === 'person') return Array.isArray(inner) ? inner.map((id: unknown) => refOf(context, id)) : refOf(context, inner);
  if ((names === 'people' || PERSON_LISTS.has(field)) && Array.isArray(inner)) return inner.map((id: unknown) => refOf(context, id));
  if (typeof inner === 'string') return PLAIN_FIELDS.has(field) || (top && context.plainHere?.has(field) === true) ? inner : String(context.hash('word', inner));
  if (Array.isArray(inner)) return inner.map((element: unknown) => pseudonymisedValue(context, field, element, fieldRules, top));
  if (inner !== null && typeof inner === 'object') {
    const nested: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(inner)) nested[key] = pseudonymisedValue(context, key, value, NESTED_RULES, false);
    return nested;
  }
  return inner;
};

const pseudonymised = (event: RecordedEvent, familyId: string, hash: TermHasher): FamilyEvent =>
  ({ type: event.type, data: pseudonymisedData(event.type, event.data, familyId, hash) }) as unknown as FamilyEvent;

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

type PostingGrant = ReturnType<typeof postingGrants>[number];
/** The postings' inputs of a state: who may find the family's people and until when (by organisation, audience and level), and who is hidden below FULL. */
interface PostingsInput {
  readonly grants: ReadonlyMap<string, PostingGrant>;
  readonly hidden: string;
}
const postingsOf = (state: FamilyState): PostingsInput => ({
  grants: new Map(postingGrants(state).map((grant) => [`${grant.organizationId}/${String(grant.audience)}/${String(grant.level)}`, grant])),
  // The state's person ids are already keyed hashes (pseudonymised).
  hidden: `[${[...hiddenPersonIds(state, 'DOCUMENTS')].join(',')}]`,
});

/** A family as the batch folds it: its state so far, and the postings its rows held when the batch began. */
interface Touched {
  state: FamilyState;
  revision: number;
  readonly memo: EncodingMemo;
  /** The postings' inputs the rows were written for (the batch's start). */
  readonly postingsBefore: PostingsInput;
  /** People who gained terms in this batch (their postings are written unless all are rewritten). */
  readonly termsAdded: Set<number>;
}

/** A family as its rows stand after a committed batch. */
interface Kept {
  readonly state: FamilyState;
  readonly revision: number;
  readonly memo: EncodingMemo;
  readonly postings: PostingsInput;
}

/**
 * How much folded state the projection keeps between batches, counted as the length of the
 * snapshots, twice (the encoding memo holds about as much text again). Search states carry no
 * personal values, so they are smaller than the families projection's.
 */
const KEPT_STATE_CHARS = 32 * 2 ** 20;

const bindSearch = (db: Database.Database, table: (base: string) => string, hash: TermHasher): BoundProjection => {
  const [families, people, terms, postings] = ['search_families', 'search_people', 'search_terms', 'search_postings'].map(table) as [string, string, string, string];
  const loadState = db.prepare(`SELECT state_json, revision FROM ${families} WHERE family_id = ?`);
  const revisionOf = db.prepare(`SELECT revision FROM ${families} WHERE family_id = ?`).pluck();
  const saveState = db.prepare(`INSERT INTO ${families} (family_id, revision, state_json) VALUES (?, ?, ?)
    ON CONFLICT (family_id) DO UPDATE SET revision = excluded.revision, state_json = excluded.state_json`);
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
  const postingsSql = (which: string): string => `INSERT OR IGNORE INTO ${postings} (organization_id, audience, term, match, person_key, expires_at)
    SELECT @organizationId, @audience, t.term, t.match, t.person_key, @expiresAt FROM ${terms} t JOIN ${people} p ON p.person_key = t.person_key
    WHERE ${which}
      AND (CASE WHEN t.match >= 3 OR p.person_ref IN (SELECT value FROM json_each(@hidden)) THEN ${String(FULL_LEVEL)} ELSE ${String(NAME_LEVEL)} END) = @level`;
  const writePostings = db.prepare(postingsSql('p.family_id = @familyId'));
  const writePersonPostings = db.prepare(postingsSql('p.person_key = @personKey AND p.family_id = @familyId'));
  /** The family's postings of one organisation, audience and level (the level a term needs, as writePostings computes it). */
  // `+` keeps SQLite off the primary key (every family of the organisation) and on the person index (this family's people).
  const grantPostings = `+${postings}.organization_id = @organizationId AND +${postings}.audience = @audience
      AND ${postings}.person_key IN (SELECT person_key FROM ${people} WHERE family_id = @familyId)
      AND (CASE WHEN ${postings}.match >= 3 OR (SELECT person_ref FROM ${people} p WHERE p.person_key = ${postings}.person_key) IN (SELECT value FROM json_each(@hidden))
        THEN ${String(FULL_LEVEL)} ELSE ${String(NAME_LEVEL)} END) = @level`;
  const dropGrantPostings = db.prepare(`DELETE FROM ${postings} WHERE ${grantPostings}`);
  const setGrantExpiry = db.prepare(`UPDATE ${postings} SET expires_at = @expiresAt WHERE ${grantPostings}`);

  /**
   * Postings are a function of the family's terms, access holders and hidden people. When the
   * hidden people are those the rows were written for, only what changed is written: the
   * postings of an access that appeared (added), ended (deleted) or changed its expiry
   * (updated), then those of people who gained terms (INSERT OR IGNORE: the rest are there);
   * otherwise the family's postings are rewritten.
   */
  const updatePostings = (familyId: string, entry: Touched): PostingsInput => {
    const before = entry.postingsBefore;
    const now = postingsOf(entry.state);
    const hidden = now.hidden;
    if (now.hidden !== before.hidden) {
      clearPostings.run(familyId);
      for (const grant of now.grants.values()) writePostings.run({ ...grant, familyId, hidden });
      return now;
    }
    for (const [key, grant] of now.grants) {
      const was = before.grants.get(key);
      if (!was) writePostings.run({ ...grant, familyId, hidden });
      else if (was.expiresAt !== grant.expiresAt) setGrantExpiry.run({ ...grant, familyId, hidden });
    }
    for (const [key, grant] of before.grants) if (!now.grants.has(key)) dropGrantPostings.run({ ...grant, familyId, hidden });
    for (const personKey of entry.termsAdded) for (const grant of now.grants.values()) writePersonPostings.run({ ...grant, familyId, personKey, hidden });
    return now;
  };

  // The projection is the only writer of its rows. What it keeps is used only while the row's
  // revision is the kept one, and dropped by `discard` after a failed batch or when the rows are emptied.
  const kept = new SizedLru<Kept>(KEPT_STATE_CHARS);
  const NO_POSTINGS = postingsOf(initialFamilyState);

  /** The family as its rows stand now: from what was kept when it is still current, else decoded from its row. */
  const current = (familyId: string): Touched => {
    const known = kept.get(familyId);
    if (known && revisionOf.get(familyId) === known.revision) return { ...known, postingsBefore: known.postings, termsAdded: new Set() };
    if (known) kept.delete(familyId);
    const row = loadState.get(familyId) as { state_json: string; revision: number } | undefined;
    const memo = new EncodingMemo(familyId, undefined, 'search');
    if (!row) return { state: initialFamilyState, revision: -1, memo, postingsBefore: NO_POSTINGS, termsAdded: new Set() };
    const state = decodeFamilyState(row.state_json);
    return { state, revision: row.revision, memo, postingsBefore: postingsOf(state), termsAdded: new Set() };
  };

  return {
    applyBatch(events: readonly RecordedEvent[]) {
      const touched = new Map<string, Touched>();
      for (const stored of events) {
        if (!stored.stream.startsWith(FAMILY_STREAM_PREFIX)) continue;
        const event = upcastStoredFamilyEvent(stored);
        const familyId = event.stream.slice(FAMILY_STREAM_PREFIX.length);
        let entry = touched.get(familyId);
        if (!entry) {
          entry = current(familyId);
          touched.set(familyId, entry);
        }
        entry.state = evolve(entry.state, pseudonymised(event, familyId, hash));
        entry.revision = event.revision;
        if (event.type === 'SubjectErased' && typeof event.data['subjectId'] === 'string') forget(familyId, event.data['subjectId']);
        const found = factsOf(event, entry.state, (id) => String(personRef(hash, familyId, id)));
        if (!found) continue;
        const ref = personRef(hash, familyId, found.personId);
        addPerson.run(familyId, ref, found.facts.kind);
        const key = personKey.get(familyId, ref) as number;
        for (const term of personTerms(hash, found.facts)) addTerm.run(key, term.term, term.match);
        entry.termsAdded.add(key);
      }
      for (const [familyId, entry] of touched) {
        const stateJson = encodeFamilyState(entry.state, undefined, 'search', entry.memo);
        saveState.run(familyId, entry.revision, stateJson);
        const postingsNow = updatePostings(familyId, entry);
        // Counted twice: the memo holds about as much text again as the snapshot.
        kept.set(familyId, { state: entry.state, revision: entry.revision, memo: entry.memo, postings: postingsNow }, 2 * stateJson.length);
      }
    },
    discard: () => kept.clear(),
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
