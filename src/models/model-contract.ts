import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';

/** Calls the contract makes; a provider under test may need prompts its fake server recognises. */
export type ModelContractOptions = {
  /** A call the model answers with text. */
  textCall?: LanguageModelV4CallOptions;
  /** A call the model answers with at least one tool call; `false` for a model without tools. */
  toolCall?: LanguageModelV4CallOptions | false;
  /** A call whose stream lasts long enough to abort in the middle; defaults to `textCall`. */
  abortCall?: LanguageModelV4CallOptions;
  /** Longest allowed time from abort to the stream erroring, in ms. Defaults to 200. */
  abortDeadlineMs?: number;
};

const DEFAULT_TEXT_CALL: LanguageModelV4CallOptions = {
  prompt: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: [{ type: 'text', text: 'Say hello and explain in two sentences what streaming means.' }] },
  ],
};

const DEFAULT_TOOL_CALL: LanguageModelV4CallOptions = {
  prompt: [{ role: 'user', content: [{ type: 'text', text: 'What is 12 * 7? Use the calculator.' }] }],
  tools: [{
    type: 'function',
    name: 'calculator',
    description: 'Evaluates an arithmetic expression.',
    inputSchema: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'], additionalProperties: false },
  }],
  toolChoice: { type: 'required' },
};

/** Reads a provider stream to the end. */
export async function collectParts(stream: ReadableStream<LanguageModelV4StreamPart>): Promise<LanguageModelV4StreamPart[]> {
  const parts: LanguageModelV4StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/**
 * Registers the node:test tests every `LanguageModelV4` provider must pass: stream framing,
 * matched block ids, JSON tool inputs, and prompt, clean abort. Real providers run it against a
 * loopback server that speaks their wire format; the demo model runs it as is.
 */
export function describeModelContract(
  name: string,
  makeModel: () => LanguageModelV4 | Promise<LanguageModelV4>,
  options: ModelContractOptions = {},
): void {
  const textCall = options.textCall ?? DEFAULT_TEXT_CALL;
  const toolCall = options.toolCall === undefined ? DEFAULT_TOOL_CALL : options.toolCall;
  const abortCall = options.abortCall ?? textCall;
  const deadlineMs = options.abortDeadlineMs ?? 200;
  const calls = toolCall ? { text: textCall, tool: toolCall } : { text: textCall };

  describe(`${name} model contract`, () => {
    for (const [kind, call] of Object.entries(calls)) {
      test(`${kind} call: stream-start comes first and one finish with usage comes last`, async () => {
        const parts = await streamAll(await makeModel(), call);
        assert.equal(parts[0]?.type, 'stream-start');
        assert.equal(parts.filter((part) => part.type === 'finish').length, 1);
        const finish = parts[parts.length - 1];
        assert.equal(finish.type, 'finish');
        assert.ok(finish.usage.inputTokens && finish.usage.outputTokens, 'usage has input and output tokens');
        for (const count of [finish.usage.inputTokens.total, finish.usage.outputTokens.total]) {
          if (count !== undefined) assert.ok(Number.isInteger(count) && count >= 0, `token count ${count} is a whole number`);
        }
        assert.equal(finish.finishReason.unified, kind === 'tool' ? 'tool-calls' : 'stop');
        assert.ok(!parts.some((part) => part.type === 'error'), 'no error parts');
      });

      test(`${kind} call: deltas sit between their block's start and end, with matching ids`, async () => {
        const parts = await streamAll(await makeModel(), call);
        for (const block of ['text', 'reasoning', 'tool-input'] as const) {
          const open = new Set<string>();
          for (const part of parts) {
            const id = 'id' in part && typeof part.id === 'string' ? part.id : undefined;
            if (id === undefined) continue;
            if (part.type === `${block}-start`) {
              assert.ok(!open.has(id), `${block} block ${id} opens once`);
              open.add(id);
            }
            if (part.type === `${block}-delta`) assert.ok(open.has(id), `${block} delta for open block ${id}`);
            if (part.type === `${block}-end`) {
              assert.ok(open.has(id), `${block} block ${id} ends after it starts`);
              open.delete(id);
            }
          }
          assert.equal(open.size, 0, `every ${block} block ends`);
        }
        if (kind === 'text') assert.ok(parts.some((part) => part.type === 'text-delta'), 'a text call streams text');
      });
    }

    if (toolCall) {
      test('tool-call inputs are JSON and match their streamed input deltas', async () => {
        const parts = await streamAll(await makeModel(), toolCall);
        const toolCalls = parts.filter((part) => part.type === 'tool-call');
        assert.ok(toolCalls.length > 0, 'at least one tool call');
        const offered = new Set((toolCall.tools ?? []).map((tool) => tool.name));
        for (const call of toolCalls) {
          assert.ok(offered.has(call.toolName), `${call.toolName} was offered`);
          const input: unknown = JSON.parse(call.input);
          assert.equal(typeof input, 'object');
          const streamed = parts.flatMap((part) => (part.type === 'tool-input-delta' && part.id === call.toolCallId ? [part.delta] : [])).join('');
          if (streamed !== '') assert.deepEqual(JSON.parse(streamed), input);
        }
      });
    }

    test(`aborting mid-stream errors the stream within ${deadlineMs} ms with an abort error`, async () => {
      const controller = new AbortController();
      const { stream } = await (await makeModel()).doStream({ ...abortCall, abortSignal: controller.signal });
      const reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        assert.ok(!done, 'the stream lasts until the first delta');
        if (value.type === 'text-delta' || value.type === 'reasoning-delta') break;
      }
      const abortedAt = performance.now();
      controller.abort();
      const error = await (async () => {
        try {
          for (;;) if ((await reader.read()).done) return undefined;
        } catch (caught) {
          return caught;
        }
      })();
      const elapsed = performance.now() - abortedAt;
      assert.ok(error instanceof Error && error.name === 'AbortError', `expected an AbortError, got ${String(error)}`);
      assert.ok(elapsed < deadlineMs, `errored after ${elapsed.toFixed(1)} ms`);
    });

    test('an already aborted signal rejects doStream', async () => {
      const model = await makeModel();
      await assert.rejects(Promise.resolve(model.doStream({ ...textCall, abortSignal: AbortSignal.abort() })), { name: 'AbortError' });
    });
  });
}

async function streamAll(model: LanguageModelV4, call: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamPart[]> {
  const { stream } = await model.doStream(call);
  return collectParts(stream);
}
