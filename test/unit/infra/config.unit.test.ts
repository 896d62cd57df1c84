import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../infra/config.js';
import { rotateMasterKey } from '../../../infra/keys/rotate-master-key.js';

describe('configuration', () => {
  it('defaults to port 4000 and the embedded store under ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.eventStore).toEqual({ kind: 'sqlite', file: resolve('data', 'events.sqlite') });
    expect(config.production).toBe(false);
  });

  it('selects EventStoreDB by connection string', () => {
    const config = loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' });
    expect(config.eventStore).toEqual({ kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' });
  });

  it('documents its defaults for rate limits and webhook dispatch', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toEqual({ requests: 300, windowSeconds: 10 });
    expect(config.webhooks).toMatchObject({ timeoutMs: 10_000, maxInFlight: 100, maxInFlightPerOrganization: 10, allowPrivateNetworks: false });
    expect(loadConfig({ TRACKER_RATE_LIMIT_REQUESTS: '0' }).rateLimit.requests).toBe(0);
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '', EVENTSTORE_CONNECTION_STRING: ' ' }).eventStore.kind).toBe('sqlite');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EVENTSTORE_CONNECTION_STRING: 'http://localhost:2113' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ TRACKER_BOOTSTRAP_ADMIN_KEY: 'short' }, 'TRACKER_BOOTSTRAP_ADMIN_KEY'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ TRACKER_RATE_LIMIT_REQUESTS: '-1' }, 'TRACKER_RATE_LIMIT_REQUESTS'],
    [{ TRACKER_RATE_LIMIT_WINDOW_SECONDS: '0' }, 'TRACKER_RATE_LIMIT_WINDOW_SECONDS'],
    [{ TRACKER_WEBHOOK_MAX_IN_FLIGHT: '0' }, 'TRACKER_WEBHOOK_MAX_IN_FLIGHT'],
    [{ TRACKER_WEBHOOK_MAX_IN_FLIGHT_PER_ORGANIZATION: 'many' }, 'TRACKER_WEBHOOK_MAX_IN_FLIGHT_PER_ORGANIZATION'],
    [{ TRACKER_WEBHOOK_TIMEOUT_MS: '5' }, 'TRACKER_WEBHOOK_TIMEOUT_MS'],
  ])('refuses %o, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});

describe('the interface to listen on (issue 16: the embedded mode listened on every interface)', () => {
  it('is loopback unless set', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
  });
  it('is TRACKER_HOST when set, else the older HOST', () => {
    expect(loadConfig({ TRACKER_HOST: '0.0.0.0', HOST: '10.0.0.1' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });
});

describe('the key store (TRACKER_KEY_STORE)', () => {
  it('is the embedded one on the embedded event store, and the one in the event store on EventStoreDB', () => {
    expect(loadConfig({}).keys.store).toBe('embedded');
    expect(loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }).keys.store).toBe('event-store');
    expect(loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false', TRACKER_KEY_STORE: 'embedded' }).keys.store).toBe('embedded');
  });
  it('refuses event-store without EventStoreDB (the embedded store cannot delete a key), and any other value', () => {
    expect(() => loadConfig({ TRACKER_KEY_STORE: 'event-store' })).toThrow(/TRACKER_KEY_STORE: event-store needs EVENTSTORE_CONNECTION_STRING/);
    expect(() => loadConfig({ TRACKER_KEY_STORE: 'vault-Canary' })).toThrow(/TRACKER_KEY_STORE: must be embedded or event-store/);
    expect(() => loadConfig({ TRACKER_KEY_STORE: 'vault-Canary' })).not.toThrow(/Canary/);
  });
  it('the embedded rotation refuses the key store in the event store before touching any file (that one rotates through rotateEventStoreKeys)', () => {
    const keys = loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false', TRACKER_DATA_DIR: '/nonexistent/tracker' }).keys;
    expect(() => rotateMasterKey(keys, '/nonexistent/new.key')).toThrow(/rotates with rotateEventStoreKeys/);
  });
});
