import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../infra/logger.js';
import { StatementCache } from '../../../projections/statement-cache.js';
import { WebhookDispatcher, type DispatcherOptions } from '../../../infra/webhooks/dispatcher.js';
import { WebhookOutbox } from '../../../infra/webhooks/outbox.js';
import type { ResolvedAddress } from '../../../infra/webhooks/target-address.js';
import { executeOrganizationCommand } from '../../../services/organization/organization-service.js';
import { command } from '../../support/family-fixtures.js';
import { openReadSideHarness, type ReadSideHarness } from '../../support/read-side-harness.js';

/**
 * Regression: the dispatcher checked a webhook's host with one DNS lookup and then let `fetch`
 * resolve the name again, so a name that answered a public address to the check and a private
 * one a moment later (DNS rebinding) reached the private network. Now the attempt connects to
 * exactly the addresses that were checked: a name only the injected resolver knows is delivered
 * (old code: `fetch` looked it up again and failed), with the registered name as Host; and a name
 * that rebinds to loopback after the check never reaches the loopback receiver.
 */
const admin = { userId: 'admin', organizationId: 'system', role: 'SYSTEM' as const };
const ISSUED = '2024-06-01T00:00:00.000Z';
let h: ReadSideHarness;
let receiver: Server;
let port = 0;
const received: IncomingHttpHeaders[] = [];
let outbox: WebhookOutbox;
let dispatcher: WebhookDispatcher | undefined;

const registerWebhook = async (url: string): Promise<void> => {
  await executeOrganizationCommand(h.dependencies, { type: 'RegisterWebhook', organizationId: 'org-a', actor: admin, issuedAt: ISSUED, webhookId: 'hook-1', url, secret: `whsec_${'s'.repeat(40)}` });
  await h.execute(command('OpenFamilyCase', { familyId: 'fam-1', leadOrganizationId: 'org-a', programme: 'SIJ' }));
  await h.projector.catchUp();
};

const startDispatcher = (resolve: (host: string) => Promise<readonly ResolvedAddress[]>, allowPrivateNetworks: boolean): void => {
  const options: DispatcherOptions = {
    retryBaseMs: 10_000, maxAttempts: 3, allowPrivateNetworks, timeoutMs: 1_000, maxInFlight: 10, maxInFlightPerOrganization: 10,
    clock: () => new Date(), logger: createLogger('silent'), resolve,
    waitForProgress: (ms) => new Promise((done) => setTimeout(done, ms)),
  };
  dispatcher = new WebhookDispatcher(new StatementCache(h.readDb), outbox, options);
  dispatcher.start();
};

const deliveryOnceAttempted = async (): Promise<{ status: string; attempts: number; last_error: string | null }> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = outbox.deliveries('hook-1', { first: 1 })[0];
    if (row && row.attempts > 0) return row;
    if (Date.now() > deadline) throw new Error('timed out waiting for the first attempt');
    await new Promise((done) => setTimeout(done, 20));
  }
};

beforeEach(async () => {
  h = openReadSideHarness();
  await executeOrganizationCommand(h.dependencies, { type: 'RegisterOrganization', organizationId: 'org-a', actor: admin, issuedAt: ISSUED, name: 'Org A', kind: 'PARTNER_NGO', countries: [] });
  outbox = new WebhookOutbox(join(h.file, '..', 'webhooks.sqlite'));
  received.length = 0;
  receiver = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  port = (receiver.address() as AddressInfo).port;
});
afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
  outbox.close();
  await new Promise((done) => receiver.close(done));
  await h.close();
});

describe('a webhook target is resolved once per attempt and connected to as checked', () => {
  it('delivers to the checked address of a name the system resolver does not know, with the registered name as Host', async () => {
    const lookups: string[] = [];
    await registerWebhook(`http://receiver.test:${String(port)}/hook`);
    startDispatcher((host) => {
      lookups.push(host);
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    }, true);
    const delivery = await deliveryOnceAttempted();
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    expect(received.map((headers) => headers.host)).toEqual([`receiver.test:${String(port)}`]);
    expect(lookups).toEqual(['receiver.test']);
  });

  it('a name that rebinds to loopback after the check never reaches the loopback receiver', async () => {
    let lookups = 0;
    await registerWebhook(`http://rebind.test:${String(port)}/hook`);
    // The first answer (the check) is a public address that cannot be reached from here; every
    // later one is loopback, where the receiver listens.
    startDispatcher(() => {
      lookups += 1;
      return Promise.resolve([{ address: lookups === 1 ? '93.184.215.14' : '127.0.0.1', family: 4 }]);
    }, false);
    const delivery = await deliveryOnceAttempted();
    expect(delivery.status).toBe('PENDING');
    expect(delivery.last_error).not.toBeNull();
    expect(received).toEqual([]);
    expect(lookups).toBe(1);
  });
});
