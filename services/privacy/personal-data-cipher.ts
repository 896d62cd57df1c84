import type { JsonObject, JsonValue } from '../event-store/port.js';
import { dataKeyId, legacyDataKeyId } from './data-key-id.js';
import { SubjectErasedError, type DataKey, type KeyStore } from './key-store.js';
import { readModelKeysOf } from './read-model-sealer.js';
import { erasedPersonal, isErased, isSealedEnvelope, openBytes, sealBytes, SealedDataIntegrityError, type SealedEnvelope } from './sealed-data.js';

/**
 * Seals what is personal (or secret) in event data with its subject's data key, and opens it
 * again. What it seals, wherever it occurs in the data (at any depth, in arrays too):
 * - every `personal` object with a `subjectId` (services/shared/personal-data.ts): all its
 *   fields but `subjectId` become one ciphertext;
 * - a webhook's signing `secret` (a string beside a `webhookId`), under the subject
 *   `webhook:<webhookId>`.
 * Everything else (ids, types, dates of steps, statuses) stays as it is. Each ciphertext is
 * bound to its stream, event id, subject and path (see SealedPlace): moved to another event or
 * person it fails with SealedDataIntegrityError, never opens as someone else's data. A subject
 * whose key was destroyed opens as `{ subjectId, erased: true }` (ErasedPersonal).
 * Data without anything sealed (events stored before encryption) opens unchanged.
 */
export class PersonalDataCipher {
  private readonly sealingKeys: (keyIds: readonly string[]) => Promise<ReadonlyMap<string, DataKey>>;

  constructor(private readonly keys: KeyStore) {
    this.sealingKeys = groupedKeysForSealing(keys);
  }

  async seal(stream: string, eventId: string, data: JsonObject): Promise<JsonObject> {
    return (await this.sealAll(stream, [{ id: eventId, data }]))[0]!;
  }

  /**
   * Seals the data of several events of one stream (an append), fetching or creating the keys
   * of all their subjects at once: one durable key-store write per append, not per event.
   */
  async sealAll(stream: string, events: ReadonlyArray<{ readonly id: string; readonly data: JsonObject }>): Promise<JsonObject[]> {
    if (!events.some((event) => hasSite(event.data, toSeal))) return events.map((event) => event.data);
    const sites = events.flatMap((event) => findSites(event.data, '', toSeal));
    const keyIdOf = (site: Site): string => dataKeyId(stream, site.subjectId);
    const keys = await this.sealingKeys([...new Set(sites.map(keyIdOf))]);
    return events.map(({ id: eventId, data }) =>
      rewrite(data, '', toSeal, (site, value) => {
        const plaintext = site.kind === 'personal' ? withoutSubject(value as JsonObject) : value;
        const keyId = keyIdOf(site);
        const envelope = sealBytes(keys.get(keyId)!, { stream, eventId, subjectId: site.subjectId, path: site.path }, Buffer.from(JSON.stringify(plaintext), 'utf8'));
        return { ...envelope, keyId };
      }) as JsonObject,
    );
  }

  /** Does this stored event data hold anything to open? (Synchronous: most events hold nothing personal.) */
  needsOpening(data: JsonObject): boolean {
    return hasSite(data, toOpen);
  }

  async open(stream: string, eventId: string, data: JsonObject): Promise<JsonObject> {
    if (!hasSite(data, toOpen)) return data;
    const sites = findSites(data, '', toOpen);
    // An envelope names the key of its own stream and subject: one naming another is tampered with (or moved).
    const misnamed = sites.find((site) => site.keyId !== undefined && site.keyId !== dataKeyId(stream, site.subjectId));
    if (misnamed) throw new SealedDataIntegrityError({ stream, eventId, path: misnamed.path });
    const keyIdOf = (site: Pick<Site, 'keyId' | 'subjectId'>): string => site.keyId ?? legacyDataKeyId(stream, site.subjectId);
    const keys = await this.keys.keysForOpening([...new Set(sites.map(keyIdOf))]);
    return rewrite(data, '', toOpen, (site, value) => {
      const key = keys.get(keyIdOf(site))!;
      if (key === 'erased') return erasedPersonal(site.subjectId) as unknown as JsonObject;
      const plaintext = JSON.parse(openBytes(key, { stream, eventId, subjectId: site.subjectId, path: site.path }, value as unknown as SealedEnvelope).toString('utf8')) as JsonValue;
      return site.kind === 'personal' ? { subjectId: site.subjectId, ...(plaintext as JsonObject) } : plaintext;
    }) as JsonObject;
  }
}

/** The keys of the envelopes in this stored event that were sealed before keys were qualified (data-key-id.ts). */
export const legacyKeyIdsIn = (stream: string, data: JsonObject): readonly string[] =>
  findSites(data, '', toOpen).filter((site) => site.keyId === undefined).map((site) => legacyDataKeyId(stream, site.subjectId));

/**
 * The keys sealing these (opened or plaintext) events' data would use: every `personal` subject
 * and webhook secret not erased, named within its stream (data-key-id.ts).
 */
export const keyIdsToSealIn = (events: ReadonlyArray<{ readonly stream: string; readonly data: JsonObject }>): string[] => [
  ...new Set(events.flatMap((event) => findSites(event.data, '', toSeal).map((site) => dataKeyId(event.stream, site.subjectId)))),
];

/** Does this stored event data hold anything sealed? */
export const holdsSealedData = (data: JsonObject): boolean => hasSite(data, toOpen);

type SiteKind = 'personal' | 'secret';
interface Site {
  readonly kind: SiteKind;
  readonly subjectId: string;
  /** When opening: the key the envelope names (data-key-id.ts); envelopes sealed before keys were qualified name none: legacyDataKeyId. */
  readonly keyId?: string | undefined;
  readonly path: string;
}

/** Is this field of `parent` something to seal (or to open), and for which subject? */
type SiteTest = (field: string, value: JsonValue, parent: JsonObject) => Omit<Site, 'path'> | undefined;

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const toSeal: SiteTest = (field, value, parent) => {
  if (field === 'personal' && isObject(value) && typeof value['subjectId'] === 'string' && !isSealedEnvelope(value) && !isErased(value)) {
    return { kind: 'personal', subjectId: value['subjectId'] };
  }
  if (field === 'secret' && typeof value === 'string' && typeof parent['webhookId'] === 'string') {
    return { kind: 'secret', subjectId: `webhook:${parent['webhookId']}` };
  }
  return undefined;
};

const toOpen: SiteTest = (field, value) => {
  if ((field === 'personal' || field === 'secret') && isSealedEnvelope(value)) return { kind: field, subjectId: value.subjectId, keyId: value.keyId };
  return undefined;
};

const childPath = (path: string, field: string | number): string => (path === '' ? String(field) : `${path}.${String(field)}`);

/** Whether `value` holds a site, at any depth: the check alone, without building paths (most event data holds none). */
const hasSite = (value: JsonValue, test: SiteTest): boolean => {
  if (Array.isArray(value)) return value.some((item) => hasSite(item, test));
  if (!isObject(value)) return false;
  for (const field in value) {
    const child = value[field]!;
    if (test(field, child, value) !== undefined || hasSite(child, test)) return true;
  }
  return false;
};

const findSites = (value: JsonValue, path: string, test: SiteTest, found: Site[] = []): Site[] => {
  if (Array.isArray(value)) {
    value.forEach((item, index) => findSites(item, childPath(path, index), test, found));
  } else if (isObject(value)) {
    for (const [field, child] of Object.entries(value)) {
      const site = test(field, child, value);
      if (site) found.push({ ...site, path: childPath(path, field) });
      else findSites(child, childPath(path, field), test, found);
    }
  }
  return found;
};

/** A copy of `value` (objects and arrays copied, the input left as it was) with every site replaced. */
const rewrite = (value: JsonValue, path: string, test: SiteTest, replace: (site: Site, value: JsonValue) => JsonValue): JsonValue => {
  if (Array.isArray(value)) return value.map((item, index) => rewrite(item, childPath(path, index), test, replace));
  if (!isObject(value)) return value;
  const copy: JsonObject = {};
  for (const [field, child] of Object.entries(value)) {
    const site = test(field, child, value);
    copy[field] = site ? replace({ ...site, path: childPath(path, field) }, child) : rewrite(child, childPath(path, field), test, replace);
  }
  return copy;
};


const withoutSubject = ({ subjectId: _subjectId, ...fields }: JsonObject): JsonObject => fields;

/**
 * `keysForSealing` for appends that arrive together: every call made in one turn of the event
 * loop goes to the key store as one call, so the keys that concurrent appends create are
 * written in one durable transaction (one fsync of the key store for the group instead of one
 * each, as group commit does for the events). A key store with a synchronous view
 * (ReadModelKeys) answers at once when every key already exists: only creation waits for the
 * group. Each key is still durable before the call that asked for it resolves. Should the
 * group's call fail (a subject erased, say), each call of the group asks again alone, so one
 * refusal fails only its own append.
 */
const groupedKeysForSealing = (keys: KeyStore): ((keyIds: readonly string[]) => Promise<ReadonlyMap<string, DataKey>>) => {
  const held = readModelKeysOf(keys);
  let waiting: Array<{ keyIds: readonly string[]; resolve: (keys: ReadonlyMap<string, DataKey>) => void; reject: (error: unknown) => void }> = [];

  const askOnce = async (): Promise<void> => {
    const group = waiting;
    waiting = [];
    try {
      const found = await keys.keysForSealing([...new Set(group.flatMap((request) => request.keyIds))]);
      for (const request of group) request.resolve(found);
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      await Promise.all(group.map((request) => keys.keysForSealing(request.keyIds).then(request.resolve, request.reject)));
    }
  };

  const existing = (keyIds: readonly string[]): Map<string, DataKey> | undefined => {
    if (!held) return undefined;
    const found = new Map<string, DataKey>();
    for (const keyId of keyIds) {
      const key = held.keyForOpeningNow(keyId);
      if (key === 'erased') throw new SubjectErasedError(keyId);
      if (key === undefined) return undefined;
      found.set(keyId, key);
    }
    return found;
  };

  return (keyIds) => {
    try {
      const found = existing(keyIds);
      if (found) return Promise.resolve(found);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise((resolve, reject) => {
      waiting.push({ keyIds, resolve, reject });
      if (waiting.length === 1) setImmediate(() => void askOnce());
    });
  };
};
