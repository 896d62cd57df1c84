import type { Actor, DomainEvent } from '../shared/decider.js';

/**
 * The access log: who read which family's personal data, when, and which group of fields.
 * One stream per day, outside the family streams: an append-only record with no invariant to
 * protect, so it has no decider.
 */
export const ACCESS_LOG_STREAM_PREFIX = 'access-log-';

/** What a request read: one entry per request, whatever the number of families. */
export interface PersonalDataViewedData {
  readonly viewer: Actor;
  readonly views: ReadonlyArray<{ readonly familyId: string; readonly fields: string }>;
  readonly viewedAt: string;
}

/**
 * Schema version 2, the stored shape: the family ids grouped by group of fields
 * (`{ people: [id, ...], history: [...] }`), so a page of 50 families names each id once and
 * no key is repeated per family. Version 1 (still read) listed `views: [{ familyId, fields }]`.
 */
export const PERSONAL_DATA_VIEWED_SCHEMA_VERSION = 2;

export interface PersonalDataViewedDataV2 {
  readonly viewer: Actor;
  readonly viewedAt: string;
  readonly families: Readonly<Record<string, readonly string[]>>;
}

export type PersonalDataViewed = DomainEvent<'PersonalDataViewed', PersonalDataViewedDataV2>;

export const accessLogStreamOf = (viewedAt: string): string => `${ACCESS_LOG_STREAM_PREFIX}${viewedAt.slice(0, 10)}`;

export const personalDataViewed = (entry: PersonalDataViewedData): PersonalDataViewed => {
  const families: Record<string, string[]> = {};
  for (const view of entry.views) (families[view.fields] ??= []).push(view.familyId);
  return { type: 'PersonalDataViewed', data: { viewer: { ...entry.viewer }, viewedAt: entry.viewedAt, families } };
};

/** The views of a stored entry, of either schema version, each family and group once. */
export const viewsOf = (data: unknown): Array<{ readonly familyId: string; readonly fields: string }> => {
  const stored = data as Partial<PersonalDataViewedDataV2> & Partial<PersonalDataViewedData>;
  if (stored.families !== undefined) {
    return Object.entries(stored.families).flatMap(([fields, familyIds]) => familyIds.map((familyId) => ({ familyId, fields })));
  }
  return [...(stored.views ?? [])];
};
