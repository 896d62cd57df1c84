import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook endpoint on a loopback port that answers 200 and keeps every body it was sent. */
export interface WebhookReceiver {
  /** Its address, `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  /** The bodies received so far, in order. */
  readonly received: readonly string[];
  readonly close: () => Promise<void>;
}

export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
