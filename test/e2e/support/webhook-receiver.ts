import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedWebhook = { headers: IncomingHttpHeaders; body: string; at: number };

/**
 * A loopback webhook receiver (node:http on port 0): answers each request with the next status of `statuses`
 * (the last one repeats; 0 never answers) and hands requests to `next()` in arrival order.
 */
export async function startWebhookReceiver(statuses: number[]) {
  const received: ReceivedWebhook[] = [];
  const waiting: ((request: ReceivedWebhook) => void)[] = [];
  let served = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = statuses[Math.min(served, statuses.length - 1)];
      served += 1;
      if (status !== 0) response.writeHead(status).end();
      const entry = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const waiter = waiting.shift();
      if (waiter) waiter(entry);
      else received.push(entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    /** Changes what the following requests are answered with. */
    answerWith(next: number[]) {
      statuses = next;
      served = 0;
    },
    /** The next request; rejects after `guardMs` (a hang guard, so a broken sender fails the test instead of stalling it). */
    next(guardMs = 20_000): Promise<ReceivedWebhook> {
      const entry = received.shift();
      if (entry) return Promise.resolve(entry);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no webhook arrived within ${guardMs} ms`)), guardMs);
        waiting.push((request) => {
          clearTimeout(timer);
          resolve(request);
        });
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
