import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AgentstreamClient, AgentstreamError, StreamLostError } from './index.ts';

const agent = { id: 'a', name: 'A', role: 'agent', path: [] };
const frame = (seq: number, type: string, extra: Record<string, unknown>) =>
  `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify({ runId: 'run_1', seq, ts: new Date().toISOString(), agent, type, ...extra })}\n\n`;

/** A loopback server speaking the native API's wire format, recording what the client sent. */
function startFakeServer(handle: (request: IncomingMessage, response: ServerResponse, body: string) => void) {
  const requests: { method?: string; url?: string; lastEventId?: string; authorization?: string; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      requests.push({ method: request.method, url: request.url, lastEventId: request.headers['last-event-id'] as string | undefined, authorization: request.headers.authorization, body });
      handle(request, response, body);
    });
  });
  return { server, requests, listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))) };
}

describe('AgentstreamClient against a loopback server', () => {
  // Every stream sends one more event then drops the connection: resuming never gets to the end.
  let nextSeq = 1;
  let malformed = false;
  const fake = startFakeServer((request, response) => {
    if (request.url === '/v1/runs/run_1/input' || request.url === '/v1/runs/run_1/cancel') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    if (malformed) response.end(`id: 1\nevent: message.delta\ndata: {"runId":"run_1","type":"message.delta","seq":"one","ts":"x","agent":{"id":"a","name":"A","role":"agent","path":[]},"messageId":"m","delta":"hi"}\n\n`);
    else response.end(frame(nextSeq, 'message.delta', { messageId: 'm', delta: `part ${nextSeq++} ` }));
  });
  let url = '';
  before(async () => {
    url = await fake.listen();
  });
  after(() => fake.server.close());

  it('resumes with Last-Event-ID after each drop, then gives up after giveUpAfterMs with a typed error', async () => {
    nextSeq = 1;
    const client = new AgentstreamClient({ baseUrl: url, apiKey: 'key-1' });
    const seen: number[] = [];
    const started = Date.now();
    await assert.rejects(async () => {
      for await (const event of client.runs.events('run_1', { giveUpAfterMs: 1200 })) seen.push(event.seq);
    }, (error: unknown) => error instanceof StreamLostError && error.runId === 'run_1' && error.lastSeq === seen.at(-1));
    assert.ok(Date.now() - started >= 1200);
    assert.deepEqual(seen, seen.map((_, index) => index + 1), 'every event once, in order');
    const follows = fake.requests.filter((request) => request.url === '/v1/runs/run_1/events');
    assert.deepEqual(follows.map((request) => Number(request.lastEventId)), seen.map((_, index) => index), 'each resume names the last seq');
    assert.ok(follows.every((request) => request.authorization === 'Bearer key-1'));
  });

  it('rejects an event that does not match the shared schema instead of casting it', async () => {
    malformed = true;
    try {
      const client = new AgentstreamClient({ baseUrl: url });
      await assert.rejects(async () => {
        for await (const _event of client.runs.events('run_1', { maxReconnects: 0 })) { /* nothing valid arrives */ }
      }, (error: unknown) => error instanceof AgentstreamError && error.code === 'invalid_event' && /seq/.test(error.message));
    } finally {
      malformed = false;
    }
  });

  it('input() posts the decisions to /v1/runs/{id}/input; aborting with cancelOnAbort cancels the run', async () => {
    const client = new AgentstreamClient({ baseUrl: url });
    await client.runs.input('run_1', { decisions: [{ toolCallId: 'call_1', decision: 'reject', reason: 'no' }] });
    const input = fake.requests.find((request) => request.url === '/v1/runs/run_1/input');
    assert.deepEqual(JSON.parse(input!.body), { decisions: [{ toolCallId: 'call_1', decision: 'reject', reason: 'no' }] });

    nextSeq = 1;
    const controller = new AbortController();
    for await (const _event of client.runs.events('run_1', { signal: controller.signal, cancelOnAbort: true })) controller.abort();
    assert.ok(fake.requests.some((request) => request.method === 'POST' && request.url === '/v1/runs/run_1/cancel'));
  });
});
