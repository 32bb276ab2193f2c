import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../events/run-event.ts';
import {
  ALL_SEQUENCES, cancelledMidAnswer, failedInTeam, singleAgentToolFailure, singleAgentWithTool, teamCoordinate, teamPipeline, teamRoute,
} from '../__fixtures__/run-event-sequences.ts';
import { createChatChunkMapper, type ChatStreamItem } from './chat-chunk-mapper.ts';
import { createChatStreamRenderer } from './chat-stream-renderer.ts';
import { foldChatCompletion } from './fold-chat-completion.ts';
import { toOpenAiError } from './to-openai-error.ts';

const base = { id: 'chatcmpl-run_fixture', created: 1735787045, model: 'assistant' };

function itemsOf(events: RunEvent[], includeUsage = false): ChatStreamItem[] {
  const mapper = createChatChunkMapper({ ...base, includeUsage });
  return events.flatMap((event) => mapper.map(event));
}

const contentOf = (items: ChatStreamItem[]) => items.map((item) => (item.kind === 'chunk' ? item.chunk.choices[0]?.delta.content ?? '' : '')).join('');
const chunk = (delta: object, finishReason: string | null = null, usage?: null) => ({
  kind: 'chunk', chunk: { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...(usage === null ? { usage: null } : {}) },
});

describe('OpenAI chat completion chunks', () => {
  it('maps a single agent to exactly these chunks: role first, answer text only, stop, then usage', () => {
    assert.deepEqual(itemsOf(singleAgentWithTool(), true), [
      chunk({ role: 'assistant', content: '' }, null, null),
      chunk({ content: 'The answer ' }, null, null),
      chunk({ content: 'is 42.' }, null, null),
      chunk({}, 'stop', null),
      { kind: 'chunk', chunk: { ...base, object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, completion_tokens_details: { reasoning_tokens: 5 } } } },
    ]);
  });

  it('leaves usage out entirely unless include_usage asked for it', () => {
    const items = itemsOf(singleAgentWithTool());
    assert.equal(items.length, 4);
    assert.ok(items.every((item) => item.kind === 'chunk' && !('usage' in item.chunk)));
  });

  it('keeps tool calls internal: a failed tool changes nothing on the wire, the answer still streams', () => {
    const items = itemsOf(singleAgentToolFailure());
    assert.equal(contentOf(items), 'I could not compute that.');
    assert.ok(items.every((item) => item.kind === 'chunk' && !item.chunk.choices.some((choice) => 'tool_calls' in choice.delta)));
  });

  it('streams only the team\'s own voice, never a member\'s text', () => {
    assert.equal(contentOf(itemsOf(teamRoute())), 'Refund issued.');
    assert.equal(contentOf(itemsOf(teamCoordinate())), 'Hero section. Buy now.');
    assert.equal(contentOf(itemsOf(teamPipeline())), 'Report on a and b.');
  });

  for (const [name, build] of Object.entries(ALL_SEQUENCES)) {
    it(`${name}: one role chunk first, and exactly one ending (stop, or an error)`, () => {
      const items = itemsOf(build());
      assert.deepEqual(items[0], chunk({ role: 'assistant', content: '' }));
      const endings = items.filter((item) => item.kind === 'error' || item.chunk.choices[0]?.finish_reason);
      assert.equal(endings.length, 1);
      assert.equal(endings[0], items.at(-1));
    });
  }

  it('ends a failed run with an OpenAI error object carrying the status its code implies', () => {
    assert.deepEqual(itemsOf(failedInTeam()).at(-1), {
      kind: 'error', status: 502,
      body: { error: { message: 'The model provider returned an error', type: 'server_error', param: null, code: 'upstream_error' } },
    });
  });

  it('ends a cancelled run with a run_cancelled error (409), after the text it had', () => {
    const items = itemsOf(cancelledMidAnswer());
    assert.equal(contentOf(items), 'Once upon ');
    assert.deepEqual(items.at(-1), {
      kind: 'error', status: 409,
      body: { error: { message: 'The run was cancelled: Cancelled by the client', type: 'invalid_request_error', param: null, code: 'run_cancelled' } },
    });
  });
});

describe('OpenAI stream renderer and non-streaming fold', () => {
  it('frames chunks as data lines and ends with [DONE]', () => {
    const renderer = createChatStreamRenderer({ ...base, includeUsage: false });
    const text = singleAgentWithTool().map((event) => renderer.render(event)).join('') + renderer.close!();
    const frames = text.split('\n\n').filter((frame) => frame !== '');
    assert.equal(frames.at(-1), 'data: [DONE]');
    assert.equal(frames[0], 'data: {"id":"chatcmpl-run_fixture","object":"chat.completion.chunk","created":1735787045,"model":"assistant","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}');
    assert.equal(frames.length, 5);
  });

  it('ends a failed stream with the error frame and no [DONE]', () => {
    const renderer = createChatStreamRenderer({ ...base, includeUsage: false });
    const text = failedInTeam().map((event) => renderer.render(event)).join('') + renderer.close!();
    assert.ok(text.endsWith('data: {"error":{"message":"The model provider returned an error","type":"server_error","param":null,"code":"upstream_error"}}\n\n'));
    assert.ok(!text.includes('[DONE]'));
    assert.equal(renderer.fail!({ code: 'internal', message: 'The run failed.' }), 'data: {"error":{"message":"The run failed.","type":"server_error","param":null,"code":"internal"}}\n\n');
  });

  it('folds the same chunks into a chat.completion with usage', () => {
    assert.deepEqual(foldChatCompletion(itemsOf(singleAgentWithTool(), true), base), {
      completion: {
        ...base, object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'The answer is 42.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, completion_tokens_details: { reasoning_tokens: 5 } },
      },
    });
    const failed = foldChatCompletion(itemsOf(failedInTeam(), true), base);
    assert.ok('error' in failed);
    assert.equal(failed.error.status, 502);
  });

  it('puts our errors in OpenAI\'s form: unknown agent = model_not_found 404, invalid input = 400 naming the field', () => {
    assert.deepEqual(toOpenAiError(404, { code: 'agent_not_found', message: "No agent or team named 'x'." }), {
      status: 404, body: { error: { message: "No agent or team named 'x'.", type: 'invalid_request_error', param: 'model', code: 'model_not_found' } },
    });
    assert.deepEqual(toOpenAiError(422, { code: 'validation_failed', message: 'messages: Required', details: { fields: [{ field: 'messages', message: 'Required' }] } }), {
      status: 400, body: { error: { message: 'messages: Required', type: 'invalid_request_error', param: 'messages', code: 'validation_failed' } },
    });
    assert.equal(toOpenAiError(429, { code: 'too_many_runs', message: 'busy' }).body.error.type, 'rate_limit_error');
    assert.equal(toOpenAiError(401, { code: 'unauthorized', message: 'no key' }).body.error.type, 'authentication_error');
  });
});
