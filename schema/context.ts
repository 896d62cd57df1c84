import DataLoader from 'dataloader';
import type { AccessLogReadModel } from '../projections/access-log/access-log-read-model.js';
import type { FamilyReadModel, FamilyRow } from '../projections/families/family-read-model.js';
import type { OrganizationReadModel, OrganizationRow } from '../projections/organizations/organization-read-model.js';
import type { CalendarDate } from '../services/shared/calendar-date.js';
import type { Actor } from '../services/shared/decider.js';
import type { FamilyCommand } from '../services/family/commands.js';
import type { FamilyCommandOptions } from '../services/family/family-service.js';
import type { OrganizationCommand } from '../services/organization/organization.js';
import type { RequestAccessLog } from './access-log.js';
import type { SearchReadModel } from '../projections/search/search-read-model.js';
import type { CasefileReadModel } from '../projections/casefile/casefile-read-model.js';

/**
 * The write side as resolvers see it; infra implements it (positions are the API's opaque
 * strings here). `waitFor` is read-your-writes: true once the named projection (every
 * projection without a name) has passed the position; false when it stalled or `timeoutMs`
 * ran out first. On false the write still stands: answer `notYetVisible(position)`
 * (services/shared/domain-error.ts), never stale data or NOT_FOUND.
 */
export interface FamilyWriter {
  readonly execute: (command: FamilyCommand, options: FamilyCommandOptions) => Promise<{ revision: number; position: string; replayed: boolean }>;
  readonly waitFor: (position: string, timeoutMs: number, projection?: string) => Promise<boolean>;
  readonly executeOrganization: (command: OrganizationCommand, options: { readonly commandId?: string; readonly input?: unknown }) => Promise<{ position: string; replayed: boolean }>;
  readonly now: () => string;
  readonly newId: () => string;
  readonly newApiKey: () => { readonly key: string; readonly hash: string };
  /** Appends the reads of personal data of one request to the access log (outside the family streams). */
  readonly logAccess: (entry: { viewer: Actor; views: Array<{ familyId: string; fields: string }>; viewedAt: string }) => Promise<void>;
}

/** One stored event of a family's stream, as the history resolvers read it (position opaque). */
export interface HistoryEvent {
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly data: { readonly [key: string]: unknown };
  readonly metadata: { readonly [key: string]: unknown };
}

/** Reads a family's stream straight from the event store (empty when it has none). */
export interface FamilyHistoryReader {
  readonly events: (familyId: string, options?: { readonly fromRevision?: number; readonly maxCount?: number }) => AsyncIterable<HistoryEvent>;
  /**
   * The events as stored (personal data sealed), which the hash chain covers: what
   * verification reads. Absent where the store holds them as `events` gives them.
   */
  readonly storedEvents?: FamilyHistoryReader['events'];
}

/**
 * What long-lived subscriptions need beyond one request: fresh reads and the projector's
 * progress. `readModelNow` and `keyIsActive` throw UNAVAILABLE while a read model they read is
 * stalled (or behind the store's head at start): a subscription then ends with that error.
 */
export interface LiveReads {
  /** Resolves when the families read model (the status-change feed) advanced, or after `timeoutMs`. */
  readonly waitForProgress: (timeoutMs: number) => Promise<void>;
  /** A read model that judges access as of now (a referral may have expired since the start). */
  readonly readModelNow: () => FamilyReadModel;
  /** Whether the caller's API key is still active (not revoked, its organisation not deactivated). */
  readonly keyIsActive: () => boolean;
}

/** One webhook delivery as the API shows it. */
export interface WebhookDeliveryView {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly familyId: string;
  readonly sequence: number;
  readonly status: 'PENDING' | 'DELIVERED' | 'FAILED';
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
  readonly payload: string;
}

/** The webhook outbox as resolvers see it (infra implements it). */
export interface WebhookDeliveries {
  readonly list: (webhookId: string, options: { readonly status?: WebhookDeliveryView['status'] | null; readonly first: number; readonly beforeSequence?: number }) => WebhookDeliveryView[];
  /** A delivery of one of these webhooks; undefined when it is not theirs. */
  readonly find: (webhookIds: readonly string[], deliveryId: string) => WebhookDeliveryView | undefined;
  /** Puts a delivery of one of these webhooks back in the queue; undefined when it is not theirs. */
  readonly replay: (webhookIds: readonly string[], deliveryId: string) => WebhookDeliveryView | undefined;
  readonly newSecret: () => string;
  /** Whether a webhook may be sent to this URL now (its host resolves only to allowed addresses). */
  readonly targetIsAllowed: (url: string) => Promise<boolean>;
}

/** The caller's rate-limit budget: work beyond an ordinary request is charged in requests. */
export interface RateBudget {
  /** Spends `points` more of the caller's requests; throws RATE_LIMITED (HTTP 429) when they are not there. */
  readonly charge: (points: number) => Promise<void>;
}

/** What every resolver gets: the authenticated caller, this request's read models and loaders. */
export interface GraphQLContext {
  readonly viewer: Actor;
  readonly accessLog: RequestAccessLog;
  readonly writer: FamilyWriter;
  readonly history: FamilyHistoryReader;
  readonly live: LiveReads;
  readonly webhooks: WebhookDeliveries;
  readonly readModel: FamilyReadModel;
  readonly organizations: OrganizationReadModel;
  readonly accessLogEntries: AccessLogReadModel;
  /** Relatives not yet found and their counts (projections/casefile/). */
  readonly casefile: CasefileReadModel;
  /** The search index for this caller (absent where no index is configured: search is UNAVAILABLE). */
  readonly search?: SearchReadModel;
  readonly loaders: Loaders;
  readonly today: CalendarDate;
  /** Added by the rate-limit plugin; absent when no limit is configured (and in tests without the plugin). */
  readonly rateLimit?: RateBudget;
  /** Open deadlines within this many days are blockers; unset: DEADLINE_HORIZON_DAYS (services/family/status.ts). */
  readonly deadlineHorizonDays?: number;
}

export interface Loaders {
  readonly family: DataLoader<string, FamilyRow | null>;
  readonly organization: DataLoader<string, OrganizationRow | null>;
}

/** One loader per lookup per request: nested lookups of a page become one SQL statement. */
export const createLoaders = (readModel: FamilyReadModel, organizations: OrganizationReadModel): Loaders => ({
  family: new DataLoader((ids: readonly string[]) => {
    const rows = readModel.familiesByIds(ids);
    return Promise.resolve(ids.map((id) => rows.get(id) ?? null));
  }),
  organization: new DataLoader((ids: readonly string[]) => {
    const rows = organizations.organizationsByIds(ids);
    return Promise.resolve(ids.map((id) => rows.get(id) ?? null));
  }),
});
