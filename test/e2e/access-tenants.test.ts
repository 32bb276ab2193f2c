import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import OpenAI from 'openai';
import { createProbeProvider } from './support/probe-provider.ts';
import { collectRunEvents } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const KEY_A = 'key-of-tenant-a-0123456789';
const KEY_B = 'key-of-tenant-b-0123456789';
const ADMIN = 'the-admin-key-0123456789';
const JWT_SECRET = 'a-shared-hs256-secret-of-32-bytes!!';

type Json = Record<string, unknown>;
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const json = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'application/json' });

/** A request with a key; the answer's status and JSON (or text) body. */
async function call(server: TestServer, key: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(key ? as(key) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch { /* SSE or empty */ }
  return { status: response.status, headers: response.headers, body: parsed as Json, text };
}

describe('tenants and keys: every route that names a run or session is scoped to its tenant', { timeout: 60_000 }, () => {
  const probe = createProbeProvider(20);
  let server: TestServer;
  let runOfA: string;
  let sessionOfA: string;
  before(async () => {
    server = await startTestServer({ apiKeys: `tenant_a:${KEY_A},tenant_b:${KEY_B}`, adminKey: ADMIN, jwtSecret: JWT_SECRET }, { providers: [probe.provider] });
    // A's run, still running while B probes it (probe:slow paces tokens), in A's own session.
    sessionOfA = 'shared-session-name';
    const started = await call(server, KEY_A, 'POST', '/v1/runs', { agent: 'chat', input: 'a secret of tenant A', model: 'probe:slow', background: true, sessionId: sessionOfA });
    assert.equal(started.status, 202);
    runOfA = started.body.runId as string;
  });
  after(() => server.close());

  it('no key, a wrong key: exactly 401 with WWW-Authenticate and the JSON error; probes and docs stay open', async () => {
    const missing = await call(server, undefined, 'GET', '/v1/runs');
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="agentstream"');
    assert.match(missing.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(missing.body, { error: { code: 'unauthorized', message: 'This server needs an API key: send Authorization: Bearer <key> or x-api-key: <key>.' } });
    const wrong = await call(server, 'not-a-key', 'POST', '/v1/runs', { agent: 'chat', input: 'x' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: { code: 'unauthorized', message: 'The API key or token is not valid.' } });
    const almost = await call(server, `${KEY_A}x`, 'GET', '/v1/runs');
    assert.equal(almost.status, 401, 'a key with a suffix is not the key');
    assert.equal((await call(server, undefined, 'GET', '/health')).status, 200);
    assert.equal((await call(server, undefined, 'GET', '/ready')).status, 200);
    assert.equal((await call(server, undefined, 'GET', '/openapi.json')).status, 200);
    const viaHeader = await call(server, undefined, 'GET', '/v1/runs', undefined, { 'x-api-key': KEY_A });
    assert.equal(viaHeader.status, 200);
  });

  it('tenant B gets 404, exactly as for an unknown id, on every native route naming A\'s run; A sees it', async () => {
    const unknown = await call(server, KEY_B, 'GET', '/v1/runs/run_does-not-exist');
    const foreign = await call(server, KEY_B, 'GET', `/v1/runs/${runOfA}`);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error && (foreign.body.error as Json).code, 'run_not_found');
    assert.equal((unknown.body.error as Json).code, 'run_not_found');
    assert.equal((await call(server, KEY_B, 'GET', `/v1/runs/${runOfA}/events`)).status, 404);
    assert.equal((await call(server, KEY_B, 'GET', `/v1/runs/${runOfA}/events`, undefined, { 'last-event-id': '1' })).status, 404);
    assert.equal((await call(server, KEY_B, 'POST', `/v1/runs/${runOfA}/cancel`)).status, 404);
    const listOfB = await call(server, KEY_B, 'GET', `/v1/runs?sessionId=${sessionOfA}`);
    assert.deepEqual(listOfB.body.runs, []);
    const allOfB = await call(server, KEY_B, 'GET', '/v1/runs?limit=200');
    assert.ok(!(allOfB.body.runs as Json[]).some((run) => run.id === runOfA), 'B\'s list never shows A\'s run');
    assert.equal((await call(server, KEY_B, 'GET', `/v1/sessions/${sessionOfA}`)).status, 404);
    assert.equal((await call(server, KEY_B, 'DELETE', `/v1/sessions/${sessionOfA}`)).status, 404);
    // A's run was not cancelled by any of that, and A (and the admin) see it.
    const ofA = await call(server, KEY_A, 'GET', `/v1/runs/${runOfA}`);
    assert.equal(ofA.status, 200);
    assert.notEqual(ofA.body.status, 'cancelled');
    assert.equal((await call(server, ADMIN, 'GET', `/v1/runs/${runOfA}`)).status, 200);
    assert.ok(((await call(server, KEY_A, 'GET', `/v1/runs?sessionId=${sessionOfA}`)).body.runs as Json[]).some((run) => run.id === runOfA));
  });

  it('B cannot answer (or even find) A\'s run paused for input; A can', async () => {
    const paused = await call(server, KEY_A, 'POST', '/v1/runs', { agent: 'supervised', input: 'What is 12 * 7?', stream: false });
    assert.equal(paused.body.status, 'awaiting_input');
    const decision = { decisions: [{ toolCallId: (paused.body.pending as Json[])[0].toolCallId, decision: 'approve' }] };
    const foreign = await call(server, KEY_B, 'POST', `/v1/runs/${paused.body.runId as string}/input`, decision);
    assert.deepEqual([foreign.status, (foreign.body.error as Json).code], [404, 'run_not_found']);
    assert.equal((await call(server, KEY_A, 'GET', `/v1/runs/${paused.body.runId as string}`)).body.status, 'awaiting_input', 'B changed nothing');
    assert.equal((await call(server, KEY_A, 'POST', `/v1/runs/${paused.body.runId as string}/input`, decision)).status, 200);
  });

  it('the same session id in tenant B is B\'s own conversation: it never sees A\'s turns', async () => {
    const endOfA = await call(server, KEY_A, 'GET', `/v1/runs/${runOfA}/events`);
    assert.equal(endOfA.status, 200);
    assert.match(endOfA.text, /event: run\.completed/);
    const sessionA = await call(server, KEY_A, 'GET', `/v1/sessions/${sessionOfA}`);
    assert.equal(sessionA.status, 200);
    assert.equal((sessionA.body.messages as Json[])[0].content, 'a secret of tenant A');
    const ofB = await call(server, KEY_B, 'POST', '/v1/runs', { agent: 'assistant', input: 'hello', sessionId: sessionOfA, stream: false });
    assert.equal(ofB.status, 200);
    const sessionB = await call(server, KEY_B, 'GET', `/v1/sessions/${sessionOfA}`);
    assert.deepEqual((sessionB.body.messages as Json[]).map((message) => message.content), ['hello', ofB.body.output]);
    assert.deepEqual((sessionB.body.runs as Json[]).map((run) => run.id), [ofB.body.runId]);
    assert.equal((await call(server, KEY_B, 'DELETE', `/v1/sessions/${sessionOfA}`)).status, 204);
    assert.equal((await call(server, KEY_A, 'GET', `/v1/sessions/${sessionOfA}`)).status, 200, 'B deleting its session leaves A\'s');
  });

  it('seed dialects (Agno resume, status, cleanup), AI SDK and OpenAI-compatible routes: B cannot resume, stop or find A\'s runs', async () => {
    // Agno (seed 000): a Last-Event-ID naming A's run resumes it for A only.
    const agnoA = await call(server, KEY_A, 'POST', '/api/v1/agent/stream', { message: 'hi', user_id: 'u1' });
    const agnoRunId = /"run_id":\s*"(run_[^"]+)"/.exec(agnoA.text)?.[1] ?? /id: (run_[\w-]+):/.exec(agnoA.text)?.[1];
    assert.ok(agnoRunId, 'the Agno stream names its run');
    const resumeB = await call(server, KEY_B, 'POST', '/api/v1/agent/stream', { message: 'hi' }, { 'last-event-id': `${agnoRunId}:1` });
    assert.equal(resumeB.status, 404);
    const resumeA = await call(server, KEY_A, 'POST', '/api/v1/agent/stream', { message: 'hi' }, { 'last-event-id': `${agnoRunId}:1` });
    assert.equal(resumeA.status, 200);
    // Agno status lists only the caller's tenant's agents; cleanup is an admin route.
    const statusB = await call(server, KEY_B, 'GET', '/api/v1/agents/status');
    assert.deepEqual(statusB.body.agents, {});
    assert.ok(Object.keys((await call(server, KEY_A, 'GET', '/api/v1/agents/status')).body.agents as Json).includes('u1:default_project'));
    const cleanupB = await call(server, KEY_B, 'DELETE', '/api/v1/agents/cleanup');
    assert.equal(cleanupB.status, 403);
    assert.deepEqual(cleanupB.body, { error: { code: 'admin_key_required', message: 'This route needs the admin key' } });
    assert.equal((await call(server, ADMIN, 'DELETE', '/api/v1/agents/cleanup')).status, 200);

    // AI SDK: A's running chat run; B's resume and stop find nothing (204) and leave it running.
    const chatId = 'chat-of-a';
    const slow = fetch(`${server.url}/ai-sdk/chat`, {
      method: 'POST', headers: json(as(KEY_A)),
      body: JSON.stringify({ id: chatId, messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'hello there' }] }], model: 'probe:slow' }),
    });
    const streaming = await slow;
    assert.equal(streaming.status, 200);
    const reader = streaming.body!.getReader();
    await reader.read(); // the run has started
    assert.equal((await call(server, KEY_B, 'GET', `/ai-sdk/chat/${chatId}/stream`)).status, 204);
    assert.equal((await call(server, KEY_B, 'POST', `/ai-sdk/chat/${chatId}/stop`)).status, 204);
    const stopA = await call(server, KEY_A, 'POST', `/ai-sdk/chat/${chatId}/stop`);
    assert.equal(stopA.status, 200);
    assert.equal(stopA.body.status, 'cancelled');
    await reader.cancel();

    // OpenAI-compatible with the official client: the key is the tenant's; a wrong one is a 401.
    const openai = new OpenAI({ baseURL: `${server.url}/openai/v1`, apiKey: KEY_B, maxRetries: 0 });
    const completion = await openai.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: 'What is 2 + 2?' }] });
    assert.match(completion.choices[0].message.content ?? '', /4/);
    const runOfB = completion.id.replace(/^chatcmpl-/, '');
    assert.equal((await call(server, KEY_A, 'GET', `/v1/runs/${runOfB}`)).status, 404, 'A cannot read B\'s OpenAI-compatible run');
    assert.equal((await call(server, KEY_B, 'GET', `/v1/runs/${runOfB}`)).status, 200);
  });

  it('a JWT (HS256) names its tenant in the `tenant` claim; a bad signature, an expired token or no claim is a 401', async () => {
    const secret = new TextEncoder().encode(JWT_SECRET);
    const token = await new SignJWT({ tenant: 'tenant_a' }).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').setExpirationTime('5m').sign(secret);
    const viaJwt = await call(server, token, 'GET', `/v1/runs/${runOfA}`);
    assert.equal(viaJwt.status, 200, 'the token acts for tenant_a');
    const otherTenant = await new SignJWT({ tenant: 'tenant_b' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(secret);
    assert.equal((await call(server, otherTenant, 'GET', `/v1/runs/${runOfA}`)).status, 404);
    const forged = await new SignJWT({ tenant: 'tenant_a' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode('another-secret-of-32-bytes-long!!!'));
    assert.equal((await call(server, forged, 'GET', '/v1/runs')).status, 401);
    const expired = await new SignJWT({ tenant: 'tenant_a' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(secret);
    assert.equal((await call(server, expired, 'GET', '/v1/runs')).status, 401);
    const noClaim = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(secret);
    assert.equal((await call(server, noClaim, 'GET', '/v1/runs')).status, 401);
  });
});

describe('the single AGENTSTREAM_API_KEY of before is the `default` tenant', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ apiKey: 'the-one-shared-key-0123' });
  });
  after(() => server.close());

  it('starts and reads runs with the key, refuses without it', async () => {
    const response = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: json(as('the-one-shared-key-0123')), body: JSON.stringify({ agent: 'assistant', input: 'What is 2 + 2?' }) });
    const events = await collectRunEvents(response);
    assert.equal(events.at(-1)?.type, 'run.completed');
    const read = await call(server, 'the-one-shared-key-0123', 'GET', `/v1/runs/${events[0].runId}`);
    assert.equal(read.status, 200);
    assert.equal((await call(server, undefined, 'GET', `/v1/runs/${events[0].runId}`)).status, 401);
  });
});

describe('JWT from a JWKS URL (a loopback issuer), and ?api_key= only where an EventSource connects', () => {
  let issuer: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let server: TestServer;
  before(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    issuer = createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}/.well-known/jwks.json`;
    server = await startTestServer({ jwksUrl, jwtTenantClaim: 'org', apiKeys: `tenant_a:${KEY_A}` });
  });
  after(async () => {
    await server.close();
    await new Promise((resolve) => issuer.close(resolve));
  });

  it('a token signed by the JWKS key acts for the tenant in the configured claim; one signed by another key is a 401', async () => {
    const token = await new SignJWT({ org: 'tenant_a' }).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setSubject('svc').setExpirationTime('5m').sign(privateKey);
    const started = await call(server, token, 'POST', '/v1/runs', { agent: 'assistant', input: 'What is 2 + 2?', stream: false });
    assert.equal(started.status, 200);
    assert.equal((await call(server, KEY_A, 'GET', `/v1/runs/${started.body.runId as string}`)).status, 200, 'the run is tenant_a\'s');
    const stranger = await generateKeyPair('RS256');
    const forged = await new SignJWT({ org: 'tenant_a' }).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setExpirationTime('5m').sign(stranger.privateKey);
    assert.equal((await call(server, forged, 'GET', '/v1/runs')).status, 401);
  });

  it('?api_key= is accepted on a GET asking for text/event-stream, and on nothing else', async () => {
    const started = await call(server, KEY_A, 'POST', '/v1/runs', { agent: 'assistant', input: 'What is 2 + 2?', stream: false });
    const runId = started.body.runId as string;
    const viaQuery = await fetch(`${server.url}/v1/runs/${runId}/events?api_key=${KEY_A}`, { headers: { accept: 'text/event-stream' } });
    assert.equal(viaQuery.status, 200);
    assert.match(await viaQuery.text(), /event: run\.completed/);
    assert.equal((await fetch(`${server.url}/v1/runs/${runId}?api_key=${KEY_A}`)).status, 401, 'not on a JSON route');
    assert.equal((await fetch(`${server.url}/v1/runs?api_key=${KEY_A}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ agent: 'assistant', input: 'x' }) })).status, 401, 'not on a POST');
  });
});
