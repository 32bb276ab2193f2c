import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APICallError, JSONParseError } from '@ai-sdk/provider';
import { AppError } from '../errors/app-error.ts';
import { RetriesExhaustedError, scrub, toProviderError } from './provider-error.ts';

const context = { label: 'OpenAI', secrets: ['sk-secret-0123456789'] };
const apiError = (statusCode: number | undefined, message: string, cause?: unknown) => new APICallError({ message, url: 'http://127.0.0.1', requestBodyValues: {}, statusCode, cause });

describe('toProviderError', () => {
  it('401 and 403 become upstream_auth naming the provider, with the key scrubbed', () => {
    const error = toProviderError(apiError(401, 'Incorrect API key provided: sk-secret-0123456789.'), context);
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'upstream_auth');
    assert.equal(error.message, 'OpenAI rejected the API key (401): Incorrect API key provided: [redacted].. Check the OpenAI key in the environment or config file.');
    assert.equal(error.cause, undefined, 'the raw error (which held the key) is not kept');
  });

  it('exhausted retries say how many attempts were made', () => {
    const error = toProviderError(new RetriesExhaustedError(apiError(503, 'Overloaded'), 4), context) as AppError;
    assert.equal(error.message, 'OpenAI returned 503 (gave up after 4 attempts): Overloaded');
  });

  it('names malformed chunks, cut connections and unreachable servers', () => {
    const malformed = toProviderError(new JSONParseError({ text: '{"bad', cause: new Error('Unexpected end') }), context) as AppError;
    assert.match(malformed.message, /^OpenAI sent a malformed stream chunk: /);
    const cut = toProviderError(apiError(200, 'Failed to process successful response', Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })), context) as AppError;
    assert.equal(cut.message, 'The connection to OpenAI was cut mid-stream (other side closed).');
    const refused = toProviderError(apiError(undefined, 'Cannot connect to API: connect ECONNREFUSED 127.0.0.1:9'), context) as AppError;
    assert.equal(refused.code, 'model_unavailable');
  });

  it('passes aborts and our own AppErrors through', () => {
    const abort = new DOMException('aborted', 'AbortError');
    assert.equal(toProviderError(abort, context), abort);
    const own = new AppError('upstream_timeout');
    assert.equal(toProviderError(own, context), own);
  });
});

describe('scrub', () => {
  it('removes secrets and bearer tokens and bounds the length', () => {
    assert.equal(scrub('key sk-secret-0123456789 and Bearer abcdefghijkl', ['sk-secret-0123456789']), 'key [redacted] and Bearer [redacted]');
    assert.equal(scrub('x'.repeat(1000), []).length, 401);
  });
});
