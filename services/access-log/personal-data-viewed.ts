import type { Actor, DomainEvent } from '../shared/decider.js';

/**
 * The access log: who read which family's personal data, when, and which group of fields.
 * One stream per day, outside the family streams: an append-only record with no invariant to
 * protect, so it has no decider.
 */
export const ACCESS_LOG_STREAM_PREFIX = 'access-log-';

export interface PersonalDataViewedData {
  readonly viewer: Actor;
  readonly views: ReadonlyArray<{ readonly familyId: string; readonly fields: string }>;
  readonly viewedAt: string;
}

export type PersonalDataViewed = DomainEvent<'PersonalDataViewed', PersonalDataViewedData>;

export const accessLogStreamOf = (viewedAt: string): string => `${ACCESS_LOG_STREAM_PREFIX}${viewedAt.slice(0, 10)}`;

export const personalDataViewed = (entry: PersonalDataViewedData): PersonalDataViewed => ({
  type: 'PersonalDataViewed',
  data: { viewer: { ...entry.viewer }, views: entry.views.map((view) => ({ ...view })), viewedAt: entry.viewedAt },
});
