import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the loopback provider answers. `sse` writes `frames` (raw SSE text, already framed) and then:
 * `end` finishes the response, `cut` destroys the socket mid-stream, `hold` keeps it open and silent
 * until the client goes away (a stall, or a stream the test cancels).
 */
export type LoopbackReply =
  | { kind: 'json'; status: number; headers?: Record<string, string>; body: unknown }
  | { kind: 'sse'; frames: string[]; then?: 'end' | 'cut' | 'hold'; headers?: Record<string, string> };

/** One request as the loopback provider saw it. `closedAt` is when its connection went away (performance.now()). */
export type LoopbackRequest = {
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  receivedAt: number;
  closedAt?: number;
  /** True when the client went away before the response was complete (an abort). */
  abortedByClient?: boolean;
  /** Resolves when the connection closes, with its time. */
  closed: Promise<number>;
};

export type LoopbackProvider = {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:1234/v1`. */
  url: string;
  requests: LoopbackRequest[];
  close(): Promise<void>;
};

/**
 * A paid model API's stand-in: a real HTTP server on a loopback port that answers each request with what
 * the test's `reply` returns, in the provider's own wire format (see the `*-wire.ts` helpers beside it).
 */
export async function startLoopbackProvider(reply: (request: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>): Promise<LoopbackProvider> {
  const requests: LoopbackRequest[] = [];
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let markClosed!: (at: number) => void;
    const request: LoopbackRequest = {
      index: requests.length,
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      body: text ? JSON.parse(text) : undefined,
      receivedAt: performance.now(),
      closed: new Promise((resolve) => (markClosed = resolve)),
    };
    requests.push(request);
    response.on('close', () => {
      request.closedAt = performance.now();
      request.abortedByClient = !response.writableFinished;
      markClosed(request.closedAt);
    });
    const answer = await reply(request);
    if (answer.kind === 'json') {
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...answer.headers });
    response.flushHeaders();
    if (answer.then === 'cut') {
      // Let the frames reach the client first, then drop the connection without ending the chunked body.
      response.write(answer.frames.join(''), () => setImmediate(() => response.socket?.destroy()));
      return;
    }
    for (const frame of answer.frames) response.write(frame);
    if (answer.then !== 'hold') response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One SSE frame; `event` is the named event line some APIs (Anthropic, Responses) send. */
export function sseFrame(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
