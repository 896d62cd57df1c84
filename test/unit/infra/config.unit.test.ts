import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../infra/config.js';

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

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '', EVENTSTORE_CONNECTION_STRING: ' ' }).eventStore.kind).toBe('sqlite');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EVENTSTORE_CONNECTION_STRING: 'http://localhost:2113' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ TRACKER_BOOTSTRAP_ADMIN_KEY: 'short' }, 'TRACKER_BOOTSTRAP_ADMIN_KEY'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('refuses %o, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
