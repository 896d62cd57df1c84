import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './target-address.js';

/**
 * A lookup that answers with the addresses that were checked, whatever the name resolves to now:
 * the connection goes where the check looked. With several addresses (all checked), Node tries
 * them in turn (happy eyeballs).
 */
const pinnedLookup = (addresses: readonly ResolvedAddress[]): LookupFunction => (_hostname, options, callback) => {
  const first = addresses[0]!;
  if (options.all) callback(null, addresses.map((entry) => ({ address: entry.address, family: entry.family })));
  else callback(null, first.address, first.family);
};

export interface PinnedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Aborts the attempt: its timeout, or the dispatcher stopping. */
  readonly signal: AbortSignal;
}

/**
 * POSTs `body` to `url` over node:http(s), connecting only to `addresses`. The URL's host stays
 * the Host header and, for https, the TLS server name, so certificates are checked against the
 * name the administrator registered. Redirects are not followed; the response body is discarded.
 * A new connection per attempt (no pooled socket outlives the check it was made under).
 */
export const pinnedPost = (url: URL, addresses: readonly ResolvedAddress[], request: PinnedRequest): Promise<{ statusCode: number }> =>
  new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      lookup: pinnedLookup(addresses),
      agent: false,
      signal: request.signal,
    }, (response) => {
      resolve({ statusCode: response.statusCode ?? 0 });
      response.destroy();
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
