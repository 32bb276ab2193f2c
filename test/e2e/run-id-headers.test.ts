import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HANG_GUARD_MS } from './support/check-answer.ts';
import { sendRaw } from './support/raw-http.ts';
import { STREAMING_ROUTES } from './support/streaming-routes.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// The run id used to be only in the first SSE frame: a client dropped before that frame arrived could not find its
// run. Every streaming response that starts a run names it in `X-Run-Id` and `X-Session-Id`, in every wire format.
describe('X-Run-Id and X-Session-Id on every streaming response that starts a run', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });

  after(async () => {
    await server.close();
  });

  for (const route of STREAMING_ROUTES) {
    it(route.name, async () => {
      const input = `Run id headers via ${route.name}`;
      const request = route.request(input);
      const response = await sendRaw(server.url, {
        method: request.method, path: request.path, signal: AbortSignal.timeout(HANG_GUARD_MS),
        headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
      const runId = response.headers.get('x-run-id');
      const sessionId = response.headers.get('x-session-id');
      assert.ok(runId, 'X-Run-Id is set');
      assert.ok(sessionId, 'X-Session-Id is set');
      await response.text();
      // The headers name the run this request started: its record has this request's input and session.
      const record = await (await fetch(`${server.url}/v1/runs/${runId}`)).json() as { input: string; sessionId: string };
      assert.equal(record.input, input);
      assert.equal(record.sessionId, decodeURIComponent(sessionId));
    });
  }

  it('a session id no header can carry (non-ASCII) comes percent-encoded, and the stream still runs', async () => {
    const sessionId = 'ｆｕｌｌ session / ünïcode';
    const response = await sendRaw(server.url, {
      method: 'POST', path: '/v1/runs', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent: 'chat', input: 'Unicode session', sessionId }), signal: AbortSignal.timeout(HANG_GUARD_MS),
    });
    assert.equal(response.status, 200);
    assert.equal(decodeURIComponent(response.headers.get('x-session-id')!), sessionId);
    assert.match(await response.text(), /event: run\.completed/);
  });

  it('the resume route names the run it follows too', async () => {
    const started = await (await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agent: 'chat', input: 'Resume me', background: true }) })).json() as { runId: string; sessionId: string };
    const response = await fetch(`${server.url}/v1/runs/${started.runId}/events`);
    assert.equal(response.headers.get('x-run-id'), started.runId);
    assert.equal(response.headers.get('x-session-id'), started.sessionId);
    await response.text();
  });
});
