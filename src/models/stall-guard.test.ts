import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { AppError } from '../errors/app-error.ts';
import { withStallGuard } from './stall-guard.ts';

/** A provider stand-in that sends `parts` and then goes quiet until its request is aborted. */
function quietModel(parts: LanguageModelV4StreamPart[], options: { quietBeforeResponse?: boolean } = {}) {
  const seen: { signal?: AbortSignal } = {};
  const model: LanguageModelV4 = {
    specificationVersion: 'v4', provider: 'quiet', modelId: 'm', supportedUrls: {},
    doGenerate: () => Promise.reject(new Error('not used')),
    doStream: async (call) => {
      seen.signal = call.abortSignal;
      if (options.quietBeforeResponse) await new Promise((_, reject) => call.abortSignal?.addEventListener('abort', () => reject(call.abortSignal?.reason)));
      return {
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            call.abortSignal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
          },
        }),
      };
    },
  };
  return { model, seen };
}

describe('withStallGuard', () => {
  it('fails a quiet stream with upstream_timeout and aborts the upstream request', async () => {
    const { model, seen } = quietModel([{ type: 'stream-start', warnings: [] }, { type: 'text-start', id: '0' }]);
    const { stream } = await withStallGuard(model, { stallTimeoutMs: 30, label: 'OpenAI' }).doStream({ prompt: [] });
    const parts: string[] = [];
    const error = await (async () => {
      try {
        for await (const part of stream) parts.push(part.type);
      } catch (caught) {
        return caught;
      }
    })();
    assert.deepEqual(parts, ['stream-start', 'text-start'], 'parts before the stall are delivered');
    assert.ok(error instanceof AppError && error.code === 'upstream_timeout');
    assert.equal(error.message, 'OpenAI sent nothing for 30 ms; the request was aborted.');
    assert.equal(seen.signal?.aborted, true);
  });

  it('fails a provider that never answers the request', async () => {
    const { model, seen } = quietModel([], { quietBeforeResponse: true });
    await assert.rejects(Promise.resolve(withStallGuard(model, { stallTimeoutMs: 30, label: 'Anthropic' }).doStream({ prompt: [] })), (error: unknown) => error instanceof AppError && error.code === 'upstream_timeout');
    assert.equal(seen.signal?.aborted, true);
  });

  it('passes the caller\'s abort straight to the upstream request', async () => {
    const { model, seen } = quietModel([{ type: 'stream-start', warnings: [] }]);
    const controller = new AbortController();
    const { stream } = await withStallGuard(model, { stallTimeoutMs: 60_000, label: 'OpenAI' }).doStream({ prompt: [], abortSignal: controller.signal });
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    assert.equal(seen.signal?.aborted, true);
    await assert.rejects(reader.read(), { name: 'AbortError' });
  });
});
