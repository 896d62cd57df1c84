import { isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { DEADLINE_HORIZON_DAYS } from '../services/family/status.js';

/** Every environment variable the tracker reads (the table in README.md lists the same). */
const EnvironmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  /** The interface to listen on; loopback unless set (expose it behind a TLS proxy, README). HOST is the older name. */
  TRACKER_HOST: z.string().min(1).optional(),
  HOST: z.string().min(1).optional(),
  TRACKER_DATA_DIR: z.string().min(1).default('./data'),
  TRACKER_KEY_DIR: z.string().min(1).optional(),
  TRACKER_MASTER_KEY_FILE: z.string().min(1).optional(),
  TRACKER_MASTER_KEY: z.string().min(1).optional(),
  /** Where the data keys live: `embedded` (TRACKER_KEY_DIR) or `event-store` (EventStoreDB itself, shared by replicas). */
  TRACKER_KEY_STORE: z.enum(['embedded', 'event-store'], { message: 'must be embedded or event-store' }).optional(),
  EVENTSTORE_CONNECTION_STRING: z
    .string()
    .regex(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//, {
      message: 'must start with esdb:// or esdb+discover:// (or the kurrentdb equivalents)',
    })
    .optional(),
  TRACKER_BOOTSTRAP_ADMIN_KEY: z.string().min(24, { message: 'must be at least 24 characters' }).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRACKER_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(1_000),
  TRACKER_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
  TRACKER_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  TRACKER_WEBHOOK_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(100),
  TRACKER_WEBHOOK_MAX_IN_FLIGHT_PER_ORGANIZATION: z.coerce.number().int().min(1).max(1_000).default(10),
  TRACKER_RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).max(1_000_000).default(300),
  TRACKER_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(10),
  /** Open deadlines within this many days are blockers (services/family/status.ts). */
  TRACKER_DEADLINE_HORIZON_DAYS: z.coerce.number().int().min(0).max(3650).default(DEADLINE_HORIZON_DAYS),
});

/** The webhook dispatcher's settings, from the environment (documented in the README's settings table). */
export interface WebhookSettings {
  /** The first retry waits about this long; each later one twice as long (with jitter), up to an hour. */
  readonly retryBaseMs: number;
  /** Attempts before a delivery is parked as FAILED (it can be replayed). */
  readonly maxAttempts: number;
  /** Allow targets on loopback and private networks (development, tests, an internal relay). */
  readonly allowPrivateNetworks: boolean;
  /** An attempt that has not been answered by then fails (and holds its slot no longer). */
  readonly timeoutMs: number;
  /** Attempts in flight at once, over all webhooks. */
  readonly maxInFlight: number;
  /** Attempts in flight at once for one organisation's webhooks. */
  readonly maxInFlightPerOrganization: number;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /**
   * Keys, never inside the data directory: `keyDir` (TRACKER_KEY_DIR, default the data
   * directory's path + `-keys`) holds the embedded key store and, unless supplied, the master
   * key. `store` (TRACKER_KEY_STORE): the embedded key store, or the one in EventStoreDB that
   * replicas share (the default on EventStoreDB).
   */
  readonly keys: {
    readonly keyDir: string;
    readonly masterKeyFile: string | undefined;
    readonly masterKey: string | undefined;
    readonly store: 'embedded' | 'event-store';
  };
  readonly eventStore: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'eventstoredb'; readonly connectionString: string };
  readonly bootstrapAdminKey: string | undefined;
  readonly production: boolean;
  readonly logLevel: z.infer<typeof EnvironmentSchema>['LOG_LEVEL'];
  readonly webhooks: WebhookSettings;
  /** Requests (and subscriptions) per API key per window; 0 turns the limit off. */
  readonly rateLimit: { readonly requests: number; readonly windowSeconds: number };
  readonly deadlineHorizonDays: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the configuration, or throws a ConfigError naming each variable that is wrong. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = EnvironmentSchema.safeParse(blankAsUnset(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const values = parsed.data;
  const dataDir = resolve(values.TRACKER_DATA_DIR);
  const keys = {
    keyDir: resolve(values.TRACKER_KEY_DIR ?? `${dataDir}-keys`),
    masterKeyFile: values.TRACKER_MASTER_KEY_FILE === undefined ? undefined : resolve(values.TRACKER_MASTER_KEY_FILE),
    masterKey: values.TRACKER_MASTER_KEY,
    store: values.TRACKER_KEY_STORE ?? (values.EVENTSTORE_CONNECTION_STRING ? 'event-store' : 'embedded'),
  } as const;
  if (keys.store === 'event-store' && !values.EVENTSTORE_CONNECTION_STRING) {
    throw new ConfigError('Invalid configuration:\n  TRACKER_KEY_STORE: event-store needs EVENTSTORE_CONNECTION_STRING (the embedded event store is append-only: it cannot delete a key)');
  }
  if (within(dataDir, keys.keyDir)) throw new ConfigError('Invalid configuration:\n  TRACKER_KEY_DIR: must not be inside TRACKER_DATA_DIR (keys are backed up apart from the data)');
  if (keys.masterKeyFile !== undefined && within(dataDir, keys.masterKeyFile)) {
    throw new ConfigError('Invalid configuration:\n  TRACKER_MASTER_KEY_FILE: must not be inside TRACKER_DATA_DIR (the master key is kept apart from the data)');
  }
  return {
    port: values.PORT,
    host: values.TRACKER_HOST ?? values.HOST ?? '127.0.0.1',
    dataDir,
    keys,
    eventStore: values.EVENTSTORE_CONNECTION_STRING
      ? { kind: 'eventstoredb', connectionString: values.EVENTSTORE_CONNECTION_STRING }
      : { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite') },
    bootstrapAdminKey: values.TRACKER_BOOTSTRAP_ADMIN_KEY,
    production: values.NODE_ENV === 'production',
    logLevel: values.LOG_LEVEL,
    webhooks: {
      retryBaseMs: values.TRACKER_WEBHOOK_RETRY_BASE_MS,
      maxAttempts: values.TRACKER_WEBHOOK_MAX_ATTEMPTS,
      allowPrivateNetworks: values.TRACKER_WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
      timeoutMs: values.TRACKER_WEBHOOK_TIMEOUT_MS,
      maxInFlight: values.TRACKER_WEBHOOK_MAX_IN_FLIGHT,
      maxInFlightPerOrganization: values.TRACKER_WEBHOOK_MAX_IN_FLIGHT_PER_ORGANIZATION,
    },
    rateLimit: { requests: values.TRACKER_RATE_LIMIT_REQUESTS, windowSeconds: values.TRACKER_RATE_LIMIT_WINDOW_SECONDS },
    deadlineHorizonDays: values.TRACKER_DEADLINE_HORIZON_DAYS,
  };
};

/** Is `path` the directory `dir` or inside it? */
const within = (dir: string, path: string): boolean => {
  const relativePath = relative(dir, path);
  return relativePath === '' || (relativePath.split(sep)[0] !== '..' && !isAbsolute(relativePath));
};

/** `PORT=` in a .env file means "not set", not "port zero". */
const blankAsUnset = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => Boolean(entry[1]?.trim())));
