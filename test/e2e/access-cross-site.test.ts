import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configFromEnv } from '../../src/config/server-config.ts';
import { createServer } from '../../src/create-server.ts';
import { postJson } from './support/sse.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

type Json = Record<string, unknown>;
const countRuns = async (server: TestServer) => ((await (await fetch(`${server.url}/v1/runs?limit=200`)).json()) as { runs: unknown[] }).runs.length;

/** A request with a Host header of our choosing (fetch does not let a caller set Host). */
function withHost(url: string, path: string, host: string): Promise<{ status: number; body: Json }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: target.hostname, port: target.port, path, method: 'GET', headers: { host } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Json }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('the localhost default refuses cross-site requests (issue 11)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('a text/plain body (what fetch no-cors can send from any page) is a 415 and starts nothing', async () => {
    const before = await countRuns(server);
    const response = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ agent: 'assistant', input: 'spend my keys', background: true }) });
    assert.equal(response.status, 415);
    assert.equal(((await response.json()) as { error: Json }).error.code, 'unsupported_media_type');
    const form = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'agent=assistant&input=x' });
    assert.equal(form.status, 415);
    assert.equal(await countRuns(server), before);
  });

  it('a POST from a foreign Origin is a 403 JSON error, start or cancel; nothing starts, nothing is cancelled', async () => {
    const before = await countRuns(server);
    const start = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'x', background: true }, { origin: 'http://evil.example' });
    assert.equal(start.status, 403);
    assert.deepEqual(await start.json(), { error: { code: 'origin_not_allowed', message: 'Origin \'http://evil.example\' may not POST here; allow it with AGENTSTREAM_CORS_ORIGINS.' } });
    assert.equal(await countRuns(server), before);
    const own = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 2 + 2?', background: true });
    const { runId } = (await own.json()) as { runId: string };
    const cancel = await fetch(`${server.url}/v1/runs/${runId}/cancel`, { method: 'POST', headers: { origin: 'null' } });
    assert.equal(cancel.status, 403, 'a sandboxed page (Origin: null) cannot cancel either');
    const deleted = await fetch(`${server.url}/v1/sessions/whatever`, { method: 'DELETE', headers: { origin: 'http://evil.example' } });
    assert.equal(deleted.status, 403);
  });

  it('the web UI (same origin), the configured origins and clients that send no Origin keep working', async () => {
    const sameOrigin = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 2 + 2?', stream: false }, { origin: server.url });
    assert.equal(sameOrigin.status, 200);
    const dedalusFrontend = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'What is 2 + 2?', stream: false }, { origin: 'http://localhost:3000' });
    assert.equal(dedalusFrontend.status, 200);
    assert.equal(dedalusFrontend.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.match(dedalusFrontend.headers.get('access-control-expose-headers') ?? '', /x-run-id/);
    const charset = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ agent: 'assistant', input: 'hi', stream: false }) });
    assert.equal(charset.status, 200);
    const preflight = await fetch(`${server.url}/v1/runs`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3001', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:3001');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
    const foreignPreflight = await fetch(`${server.url}/v1/runs`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(foreignPreflight.headers.get('access-control-allow-origin'), null, 'no CORS grant for a foreign origin');
  });

  it('DNS rebinding: on a loopback bind a foreign Host is a 403; loopback names with any port are served', async () => {
    const rebound = await withHost(server.url, '/v1/runs', 'attacker.example:8000');
    assert.equal(rebound.status, 403);
    assert.equal((rebound.body.error as Json).code, 'host_not_allowed');
    for (const host of ['localhost:8000', '127.0.0.1', '127.0.0.2:1234', '[::1]:8000', 'app.localhost']) {
      assert.equal((await withHost(server.url, '/v1/runs', host)).status, 200, host);
    }
  });

  it('a configured host (AGENTSTREAM_ALLOWED_HOSTS) is served', async () => {
    const proxied = await startTestServer({ allowedHosts: ['agents.internal'] });
    try {
      assert.equal((await withHost(proxied.url, '/v1/runs', 'agents.internal:443')).status, 200);
      assert.equal((await withHost(proxied.url, '/v1/runs', 'agents.internal.evil')).status, 403);
    } finally {
      await proxied.close();
    }
  });

  it('prototype poisoning: a __proto__ or constructor.prototype body is a 400, the depth limit still holds', async () => {
    const poisoned = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"agent":"assistant","input":"x","__proto__":{"stream":false}}' });
    assert.equal(poisoned.status, 400);
    assert.deepEqual(await poisoned.json(), { error: { code: 'bad_request', message: 'The request body has a __proto__ or constructor.prototype key, which is refused (prototype poisoning).' } });
    const viaConstructor = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"agent":"assistant","input":"x","metadata":{"constructor":{"prototype":{"admin":true}}}}' });
    assert.equal(viaConstructor.status, 400);
    const deep = await fetch(`${server.url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${'['.repeat(300)}${']'.repeat(300)}` });
    assert.equal(deep.status, 400);
    assert.equal(({}).constructor.prototype, Object.prototype);
  });
});

describe('start-up: a non-loopback bind needs keys unless --insecure; HTTPS from AGENTSTREAM_TLS_*', () => {
  it('bound to 0.0.0.0 with no keys it refuses to start, with one clear line; with keys or AGENTSTREAM_INSECURE=1 it starts', async () => {
    const base = { ...configFromEnv({ LOG_LEVEL: 'silent', HOST: '0.0.0.0' }), port: 0, databaseFile: ':memory:', webDir: undefined };
    await assert.rejects(createServer(base), { name: 'ConfigError', message: /refusing to listen on 0\.0\.0\.0 with no API keys: set AGENTSTREAM_API_KEYS .*--insecure/ });
    for (const config of [{ ...base, insecure: true }, { ...base, apiKeys: 'tenant_a:key-of-tenant-a-0123' }, { ...configFromEnv({ LOG_LEVEL: 'silent', HOST: '0.0.0.0', AGENTSTREAM_INSECURE: '1' }), port: 0, databaseFile: ':memory:', webDir: undefined }]) {
      const server = await createServer(config);
      await server.close();
    }
  });

  it('the process itself: one line on stderr and a non-zero exit', () => {
    const result = (() => {
      try {
        execFileSync(process.execPath, [join(import.meta.dirname, '../../src/main.ts')], { env: { ...process.env, HOST: '0.0.0.0', PORT: '0', AGENTSTREAM_API_KEY: '', AGENTSTREAM_API_KEYS: '', DATABASE_URL: '', REDIS_URL: '', AGENTSTREAM_DATA_DIR: mkdtempSync(join(tmpdir(), 'agentstream-insecure-')) }, stdio: 'pipe' });
        return { status: 0, stderr: '' };
      } catch (error) {
        const failure = error as { status: number; stderr: Buffer };
        return { status: failure.status, stderr: failure.stderr.toString() };
      }
    })();
    assert.equal(result.status, 78);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /^agentstream: configuration error: refusing to listen on 0\.0\.0\.0 with no API keys/);
  });

  it('serves HTTPS with a self-signed certificate made here (openssl)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentstream-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    const server = await startTestServer({ tlsCert: cert, tlsKey: key });
    try {
      assert.match(server.url, /^https:\/\//);
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(`${server.url}/v1/runs`);
        const outgoing = httpsRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', ca: readFileSync(cert), headers: { 'content-type': 'application/json' } }, (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        });
        outgoing.on('error', reject);
        outgoing.end(JSON.stringify({ agent: 'assistant', input: 'What is 2 + 2?' }));
      });
      assert.equal(status, 200);
      assert.match(body, /event: run\.completed/);
    } finally {
      await server.close();
    }
    await assert.rejects(startTestServer({ tlsCert: cert }), { name: 'ConfigError', message: /both AGENTSTREAM_TLS_CERT and AGENTSTREAM_TLS_KEY/ });
    await assert.rejects(startTestServer({ tlsCert: join(dir, 'missing.pem'), tlsKey: key }), { name: 'ConfigError', message: /AGENTSTREAM_TLS_CERT .*missing\.pem cannot be read: ENOENT/ });
  });
});
