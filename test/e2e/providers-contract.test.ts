import { after } from 'node:test';
import { createProviders } from '../../src/models/create-providers.ts';
import { describeModelContract } from '../../src/models/model-contract.ts';
import { anthropicContentFrames, anthropicStream } from './support/anthropic-wire.ts';
import { startLoopbackProvider, type LoopbackReply, type LoopbackRequest } from './support/loopback-provider.ts';
import { chatContentFrames, chatStream } from './support/openai-chat-wire.ts';
import { responsesStream } from './support/openai-responses-wire.ts';

// Every real provider, wrapped as runs use it (retries, stall guard, safe errors), passes the same model
// contract as the demo model, against a loopback server speaking its wire format.
const TEXT = ['Hello! ', 'Streaming means ', 'sending output as it is made.'];

function reply(request: LoopbackRequest): LoopbackReply {
  const body = JSON.stringify(request.body);
  const wantsTool = body.includes('calculator');
  const abort = body.includes('Tell me a long story');
  if (request.path.endsWith('/messages')) {
    if (abort) return { kind: 'sse', frames: anthropicContentFrames({ text: TEXT }), then: 'hold' };
    return { kind: 'sse', frames: anthropicStream(wantsTool ? { toolUses: [{ id: 'toolu_1', name: 'calculator', jsonParts: ['{"expression":', '"12 * 7"}'] }] } : { text: TEXT }) };
  }
  if (request.path.endsWith('/responses')) {
    if (abort) return { kind: 'sse', frames: responsesStream({ text: TEXT }).slice(0, 6), then: 'hold' };
    return { kind: 'sse', frames: responsesStream(wantsTool ? { functionCalls: [{ callId: 'call_1', name: 'calculator', argumentParts: ['{"expression":', '"12 * 7"}'] }] } : { text: TEXT }) };
  }
  if (abort) return { kind: 'sse', frames: chatContentFrames({ text: TEXT }), then: 'hold' };
  return { kind: 'sse', frames: chatStream(wantsTool ? { toolCalls: [{ id: 'call_1', name: 'calculator', argumentParts: ['{"expression":', '"12 * 7"}'] }] } : { text: TEXT }) };
}

const upstream = await startLoopbackProvider(reply);
after(() => upstream.close());

const providers = createProviders({
  env: { OPENAI_API_KEY: 'sk-contract', OPENAI_BASE_URL: upstream.url, ANTHROPIC_API_KEY: 'sk-ant-contract', ANTHROPIC_BASE_URL: upstream.url, OPENROUTER_API_KEY: 'sk-or-contract', OPENROUTER_BASE_URL: upstream.url },
  config: { compat: { local: { baseURL: upstream.url } } },
  faults: { maxRetries: 3, retryBaseDelayMs: 5, retryMaxDelayMs: 100, stallTimeoutMs: 10_000 },
  log: () => {},
});
const model = (provider: string, modelId: string) => () => providers.find((entry) => entry.name === provider)!.createModel(modelId);
const abortCall = { prompt: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Tell me a long story' }] }] };

describeModelContract('openai (Responses)', model('openai', 'gpt-4.1-mini'), { abortCall });
describeModelContract('openai-chat (Chat Completions)', model('openai-chat', 'gpt-4.1-mini'), { abortCall });
describeModelContract('anthropic', model('anthropic', 'claude-haiku-4-5'), { abortCall });
describeModelContract('openrouter', model('openrouter', 'openai/gpt-4.1-mini'), { abortCall });
describeModelContract('compat:local', model('compat:local', 'llama3.2'), { abortCall });
