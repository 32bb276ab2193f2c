import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { createServer } from '../../src/create-server.ts';
import { configFromEnv } from '../../src/config/server-config.ts';
import { postJson } from './support/sse.ts';
import { startTestServer } from './support/test-server.ts';
import { startWebhookReceiver, type ReceivedWebhook } from './support/webhook-receiver.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const headersOf = (request: ReceivedWebhook) => ({
  'webhook-id': String(request.headers['webhook-id']), 'webhook-timestamp': String(request.headers['webhook-timestamp']), 'webhook-signature': String(request.headers['webhook-signature']),
});

async function startRun(url: string, webhookUrl: string): Promise<string> {
  const response = await postJson(`${url}/v1/runs`, { agent: 'assistant', input: 'What is 2 + 2?', background: true, webhook: { url: webhookUrl } });
  assert.equal(response.status, 202, await response.clone().text());
  return ((await response.json()) as { runId: string }).runId;
}

type Deliveries = { runId: string; deliveries: { messageId: string; status: string; eventType: string; attempts: { attempt: number; statusCode: number | null; error: string | null; durationMs: number; at: string }[] }[] };

describe('webhooks', { timeout: 60_000 }, () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('POSTs the final run record signed per Standard Webhooks, retries after a 500, and records every attempt on the run', async () => {
    const receiver = await startWebhookReceiver([500, 204]);
    cleanup.push(receiver.close);
    const server = await startTestServer({ webhookAllowlist: [receiver.url], webhookSecret: secret, webhookRetryDelaysMs: [50, 50], webhookPollMs: 20 });
    cleanup.push(() => server.close());
    const runId = await startRun(server.url, `${receiver.url}/hooks/agentstream`);

    const first = await receiver.next();
    const second = await receiver.next();
    const verifier = new Webhook(secret);
    for (const request of [first, second]) {
      const payload = verifier.verify(request.body, headersOf(request)) as { type: string; timestamp: string; data: { id: string; status: string; output: string } };
      assert.equal(payload.type, 'run.completed');
      assert.equal(payload.data.id, runId);
      assert.equal(payload.data.status, 'completed');
      const record = await (await fetch(`${server.url}/v1/runs/${runId}`)).json() as { output: string; endedAt: string };
      assert.equal(payload.data.output, record.output, 'the record as GET /v1/runs/{id} answers it');
      assert.equal(payload.timestamp, record.endedAt);
    }
    assert.equal(first.headers['webhook-id'], `msg_${runId}`);
    assert.equal(second.headers['webhook-id'], first.headers['webhook-id'], 'the same message id on a retry');
    assert.throws(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(first.body, headersOf(first)), 'another secret does not verify');

    // The pass that sent the retry records it before it settles.
    await server.server.webhooks!.tick();
    const deliveries = await (await fetch(`${server.url}/v1/runs/${runId}/webhooks`)).json() as Deliveries;
    assert.equal(deliveries.deliveries.length, 1);
    const [delivery] = deliveries.deliveries;
    assert.equal(delivery.status, 'delivered');
    assert.deepEqual(delivery.attempts.map((attempt) => [attempt.attempt, attempt.statusCode, attempt.error]), [[1, 500, 'The receiver answered 500.'], [2, 204, null]]);
    assert.ok(delivery.attempts.every((attempt) => attempt.durationMs >= 0 && !Number.isNaN(Date.parse(attempt.at))));
    assert.doesNotMatch(JSON.stringify(deliveries), new RegExp(secret.slice(6, 20)), 'the secret is never returned');
  });

  it('refuses a webhook off the allowlist, a non-http URL, and any webhook on a server without an allowlist', async () => {
    const server = await startTestServer({ webhookAllowlist: ['http://127.0.0.1:9/hooks/'], webhookSecret: secret });
    cleanup.push(() => server.close());
    for (const url of ['http://127.0.0.1:10/hooks/x', 'http://127.0.0.1:9/other', 'http://127.0.0.1.evil.example:9/hooks/', 'http://127.0.0.1:9/hooks/../other', 'https://127.0.0.1:9/hooks/']) {
      const response = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'hi', background: true, webhook: { url } });
      assert.equal(response.status, 422, url);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'webhook_not_allowed', url);
    }
    for (const url of ['ftp://127.0.0.1:9/hooks/', 'http://user:secret@127.0.0.1:9/hooks/', 'not a url']) {
      const invalid = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'hi', background: true, webhook: { url } });
      assert.equal(invalid.status, 422, url);
      assert.equal(((await invalid.json()) as { error: { code: string } }).error.code, 'validation_failed', url);
    }
    assert.equal(((await (await fetch(`${server.url}/v1/runs`)).json()) as { runs: unknown[] }).runs.length, 0, 'nothing was started');

    const plain = await startTestServer();
    cleanup.push(() => plain.close());
    const refused = await postJson(`${plain.url}/v1/runs`, { agent: 'assistant', input: 'hi', background: true, webhook: { url: 'http://127.0.0.1:9/hooks/' } });
    assert.equal(refused.status, 422);
    assert.match(JSON.stringify(await refused.json()), /"code":"webhook_not_allowed".*AGENTSTREAM_WEBHOOK_ALLOWLIST/);
  });

  it('does not start with an allowlist but no secret, or with a malformed secret, and never prints the secret', async () => {
    const base = { ...configFromEnv({ LOG_LEVEL: 'silent' }), port: 0, databaseFile: ':memory:', webDir: undefined };
    await assert.rejects(createServer({ ...base, webhookAllowlist: ['https://hooks.example.com'] }), /AGENTSTREAM_WEBHOOK_ALLOWLIST is set but AGENTSTREAM_WEBHOOK_SECRET is not/);
    await assert.rejects(createServer({ ...base, webhookAllowlist: ['https://hooks.example.com'], webhookSecret: 'whsec_not base64!!' }), (error: Error) => {
      assert.match(error.message, /AGENTSTREAM_WEBHOOK_SECRET is not a Standard Webhooks secret/);
      assert.doesNotMatch(error.message, /not base64/);
      return true;
    });
    await assert.rejects(createServer({ ...base, webhookAllowlist: ['not a url'], webhookSecret: secret }), /AGENTSTREAM_WEBHOOK_ALLOWLIST entry 'not a url' is not an http\(s\) URL/);
  });

  it('keeps a pending retry across a restart: the next server on the data directory sends it', async () => {
    const receiver = await startWebhookReceiver([503]);
    cleanup.push(receiver.close);
    const dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-webhooks-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const options = { dataDir, webhookAllowlist: [receiver.url], webhookSecret: secret, webhookPollMs: 20 };
    // The retry is due a second after the first attempt: this server is gone by then.
    const first = await startTestServer({ ...options, webhookRetryDelaysMs: [1000] });
    const runId = await startRun(first.url, `${receiver.url}/hook`);
    await receiver.next();
    await first.server.webhooks!.tick();
    await first.close({ keepData: true });
    const closedAt = Date.now();

    receiver.answerWith([200]);
    const second = await startTestServer({ ...options, webhookRetryDelaysMs: [1000] });
    cleanup.push(() => second.close());
    const retry = await receiver.next();
    assert.ok(retry.at >= closedAt, 'sent by the new server');
    assert.equal(retry.headers['webhook-id'], `msg_${runId}`);
    assert.equal((new Webhook(secret).verify(retry.body, headersOf(retry)) as { data: { id: string } }).data.id, runId);
    await second.server.webhooks!.tick();
    const deliveries = await (await fetch(`${second.url}/v1/runs/${runId}/webhooks`)).json() as Deliveries;
    assert.deepEqual(deliveries.deliveries[0].attempts.map((attempt) => attempt.statusCode), [503, 200]);
    assert.equal(deliveries.deliveries[0].status, 'delivered');
  });

  it('shuts down without waiting out a receiver that does not answer, and leaves the delivery pending', async () => {
    const receiver = await startWebhookReceiver([0]);
    cleanup.push(receiver.close);
    const dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-webhooks-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startTestServer({ dataDir, webhookAllowlist: [receiver.url], webhookSecret: secret, webhookPollMs: 20, webhookTimeoutMs: 30_000 });
    const runId = await startRun(server.url, `${receiver.url}/hook`);
    await receiver.next();
    const closing = Date.now();
    await server.close({ keepData: true });
    assert.ok(Date.now() - closing < 10_000, `closed in ${Date.now() - closing} ms, not after the 30 s attempt timeout`);
    const reopened = await startTestServer({ dataDir, webhookAllowlist: [receiver.url], webhookSecret: secret, webhookPollMs: 3_600_000 });
    cleanup.push(() => reopened.close());
    const deliveries = await (await fetch(`${reopened.url}/v1/runs/${runId}/webhooks`)).json() as Deliveries;
    assert.deepEqual([deliveries.deliveries[0].status, deliveries.deliveries[0].attempts.length], ['pending', 0], 'an attempt cut by shutdown is not the receiver\'s failure');
  });

  it('shows a run\'s deliveries to its own tenant only', async () => {
    const receiver = await startWebhookReceiver([204]);
    cleanup.push(receiver.close);
    const server = await startTestServer({ apiKeys: 'acme:key-acme-1234567890,globex:key-globex-1234567890', webhookAllowlist: [receiver.url], webhookSecret: secret, webhookPollMs: 20 });
    cleanup.push(() => server.close());
    const started = await postJson(`${server.url}/v1/runs`, { agent: 'assistant', input: 'hi', background: true, webhook: { url: receiver.url } }, { authorization: 'Bearer key-acme-1234567890' });
    const { runId } = (await started.json()) as { runId: string };
    await receiver.next();
    const own = await fetch(`${server.url}/v1/runs/${runId}/webhooks`, { headers: { authorization: 'Bearer key-acme-1234567890' } });
    assert.equal(((await own.json()) as Deliveries).deliveries.length, 1);
    const other = await fetch(`${server.url}/v1/runs/${runId}/webhooks`, { headers: { authorization: 'Bearer key-globex-1234567890' } });
    assert.equal(other.status, 404);
    assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'run_not_found');
  });

  it('gives up after the last retry, recording a timeout like any failure', async () => {
    const receiver = await startWebhookReceiver([500, 0]);
    cleanup.push(receiver.close);
    const server = await startTestServer({ webhookAllowlist: [receiver.url], webhookSecret: secret, webhookRetryDelaysMs: [10], webhookTimeoutMs: 200, webhookPollMs: 20 });
    cleanup.push(() => server.close());
    const runId = await startRun(server.url, receiver.url);
    await receiver.next();
    await receiver.next();
    // The pass holding the unanswered attempt settles once it has timed out and been recorded.
    await server.server.webhooks!.tick();
    const [delivery] = ((await (await fetch(`${server.url}/v1/runs/${runId}/webhooks`)).json()) as Deliveries).deliveries;
    assert.equal(delivery.status, 'failed');
    assert.deepEqual(delivery.attempts.map((attempt) => [attempt.statusCode, attempt.error]), [[500, 'The receiver answered 500.'], [null, 'No answer within 200 ms.']]);
    assert.ok(delivery.attempts[1].durationMs >= 190, `the second attempt waited its timeout (${delivery.attempts[1].durationMs} ms)`);
  });
});
