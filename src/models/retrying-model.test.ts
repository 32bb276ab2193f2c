import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APICallError, type LanguageModelV4, type LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { RetriesExhaustedError } from './provider-error.ts';
import { retryAfterMs, retryDelay, withRetries } from './retrying-model.ts';

const apiError = (statusCode: number | undefined, headers: Record<string, string> = {}, isRetryable?: boolean) =>
  new APICallError({ message: `status ${statusCode}`, url: 'http://127.0.0.1/v1', requestBodyValues: {}, statusCode, responseHeaders: headers, isRetryable });

const FINISH: LanguageModelV4StreamPart = { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } } };

/** A provider stand-in: each call takes the next scripted outcome (a thrown error, or stream parts). */
function scriptedModel(outcomes: (Error | LanguageModelV4StreamPart[])[]): LanguageModelV4 & { calls: number } {
  const model = {
    specificationVersion: 'v4' as const, provider: 'scripted', modelId: 'm', supportedUrls: {}, calls: 0,
    doGenerate: () => Promise.reject(new Error('not used')),
    async doStream() {
      const outcome = outcomes[model.calls++];
      if (outcome instanceof Error) throw outcome;
      return { stream: new ReadableStream<LanguageModelV4StreamPart>({ start(controller) { for (const part of outcome) controller.enqueue(part); controller.close(); } }) };
    },
  };
  return model;
}

const options = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 1000, random: () => 0.5 };
const call = { prompt: [] };

describe('retryDelay', () => {
  it('retries 429, 408 and 5xx with doubling, jittered backoff; never 400, 401, 403 or 404', () => {
    for (const status of [400, 401, 403, 404, 422]) assert.equal(retryDelay(apiError(status), 0, { baseDelayMs: 100, maxDelayMs: 10_000 }, () => 0.5), undefined, `${status}`);
    assert.equal(retryDelay(apiError(503), 0, { baseDelayMs: 100, maxDelayMs: 10_000 }, () => 0), 50);
    assert.equal(retryDelay(apiError(500), 2, { baseDelayMs: 100, maxDelayMs: 10_000 }, () => 0.999), 400);
    assert.equal(retryDelay(apiError(429), 10, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.5), 750, 'capped by maxDelayMs');
    assert.equal(retryDelay(apiError(408), 0, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 1 - Number.EPSILON) !== undefined, true);
  });

  it('honours Retry-After, never sooner, and refuses waits beyond maxDelayMs', () => {
    assert.equal(retryDelay(apiError(429, { 'retry-after': '2' }), 0, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0), 2000);
    assert.ok(retryDelay(apiError(429, { 'retry-after': '2' }), 0, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0.99)! >= 2000);
    assert.equal(retryDelay(apiError(429, { 'retry-after': '120' }), 0, { baseDelayMs: 100, maxDelayMs: 5000 }, () => 0), undefined);
  });

  it('retries a refused connection (no status, marked retryable) but not an unknown error', () => {
    assert.notEqual(retryDelay(apiError(undefined, {}, true), 0, { baseDelayMs: 10, maxDelayMs: 100 }, () => 0), undefined);
    assert.equal(retryDelay(new Error('boom'), 0, { baseDelayMs: 10, maxDelayMs: 100 }, () => 0), undefined);
  });
});

describe('retryAfterMs', () => {
  it('reads retry-after-ms, retry-after seconds and retry-after dates', () => {
    assert.equal(retryAfterMs(apiError(429, { 'retry-after-ms': '250.5' })), 250.5);
    assert.equal(retryAfterMs(apiError(429, { 'retry-after': '3' })), 3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs(apiError(429, { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now), 5000);
    assert.equal(retryAfterMs(apiError(429, { 'retry-after': 'soon' })), undefined);
    assert.equal(retryAfterMs(apiError(429)), undefined);
  });
});

describe('withRetries', () => {
  it('retries failures before the first output and passes the stream through whole', async () => {
    const inner = scriptedModel([apiError(503), apiError(429), [{ type: 'stream-start', warnings: [] }, { type: 'text-start', id: '0' }, { type: 'text-delta', id: '0', delta: 'hi' }, { type: 'text-end', id: '0' }, FINISH]]);
    const { stream } = await withRetries(inner, options).doStream(call);
    const parts = [];
    for await (const part of stream) parts.push(part.type);
    assert.equal(inner.calls, 3);
    assert.deepEqual(parts, ['stream-start', 'text-start', 'text-delta', 'text-end', 'finish']);
  });

  it('treats an error part before any output like a thrown error', async () => {
    const overloaded = { type: 'error' as const, error: { message: 'Overloaded', statusCode: 529, isRetryable: true } };
    const inner = scriptedModel([[{ type: 'stream-start', warnings: [] }, overloaded], [{ type: 'stream-start', warnings: [] }, FINISH]]);
    await withRetries(inner, options).doStream(call);
    assert.equal(inner.calls, 2);
  });

  it('gives up after maxRetries with the attempts counted, and not at all on a 401', async () => {
    const failing = scriptedModel([apiError(500), apiError(500), apiError(500), apiError(500), apiError(500)]);
    const error = await Promise.resolve(withRetries(failing, options).doStream(call)).then(() => undefined, (caught: unknown) => caught);
    assert.ok(error instanceof RetriesExhaustedError);
    assert.equal(error.attempts, 4);
    assert.equal(failing.calls, 4);
    const unauthorized = scriptedModel([apiError(401)]);
    await assert.rejects(Promise.resolve(withRetries(unauthorized, options).doStream(call)), (caught: unknown) => APICallError.isInstance(caught) && caught.statusCode === 401);
    assert.equal(unauthorized.calls, 1);
  });

  it('stops waiting when the call is aborted during a backoff', async () => {
    const inner = scriptedModel([apiError(503), apiError(503)]);
    const controller = new AbortController();
    const pending = Promise.resolve(withRetries(inner, { ...options, baseDelayMs: 60_000, maxDelayMs: 60_000, onRetry: () => controller.abort(new Error('cancelled')) }).doStream({ ...call, abortSignal: controller.signal }));
    await assert.rejects(pending, /cancelled/);
    assert.equal(inner.calls, 1);
  });
});
