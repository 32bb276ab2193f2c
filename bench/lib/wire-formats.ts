import type { RequestRecipe } from '../load/stream-request.ts';

/** A wire format of agentstream, with the native run it must be compared with (same target, same model). */
export type WireFormat = { name: string; label: string; recipe: RequestRecipe; baseline: NativeBaseline };

/** The native run a format's run matches: the bench agent, the tool-less chat agent, or a team. */
export type NativeBaseline = 'assistant' | 'chat' | 'business_insights';

const INPUT = 'What is 2+2? Then tell me about streaming.';
const json = (value: unknown) => JSON.stringify(value);

/** Native runs the formats are compared with; every one uses the bench model (the bench server's default). */
export const NATIVE_BASELINES: Record<NativeBaseline, RequestRecipe> = {
  assistant: { path: '/v1/runs', body: json({ agent: 'assistant', input: INPUT, model: 'demo:bench' }) },
  chat: { path: '/v1/runs', body: json({ agent: 'chat', input: INPUT, model: 'demo:bench' }) },
  business_insights: { path: '/v1/runs', body: json({ team: 'business_insights', input: INPUT, model: 'demo:bench' }) },
};

/**
 * agentstream's other wire formats, each streaming the same run as its native baseline. Every run starts
 * its own conversation (`{{n}}`), as the native runs do: a shared chat id would grow one session's history
 * run after run. A format whose route does not answer (not built yet) is reported as unavailable.
 */
export const WIRE_FORMATS: WireFormat[] = [
  { name: 'ai-sdk-ui', label: 'AI SDK UI message stream', baseline: 'assistant', recipe: { path: '/ai-sdk/assistant', body: json({ id: 'bench-chat-{{n}}', trigger: 'submit-message', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: INPUT }] }] }) } },
  { name: 'ag-ui', label: 'AG-UI', baseline: 'assistant', recipe: { path: '/agui/assistant', body: json({ threadId: 'bench-thread-{{n}}', runId: 'bench-run-{{n}}', messages: [{ id: 'm1', role: 'user', content: INPUT }], tools: [], context: [], state: {}, forwardedProps: {} }) } },
  { name: 'openai-chat', label: 'OpenAI chat completions', baseline: 'assistant', recipe: { path: '/openai/v1/chat/completions', body: json({ model: 'assistant', stream: true, messages: [{ role: 'user', content: INPUT }] }) } },
  { name: 'seed-openai-agents', label: 'seed: OpenAI Agents', baseline: 'assistant', recipe: { path: '/assistant/stream', body: json({ input: INPUT }) } },
  { name: 'seed-dedalus', label: 'seed: Dedalus', baseline: 'assistant', recipe: { path: '/api/agent/stream', body: json({ input: INPUT, model: 'demo/bench' }) } },
  { name: 'seed-agno-multi', label: 'seed: Agno multi-agent', baseline: 'assistant', recipe: { path: '/api/v1/agent/stream', body: json({ message: INPUT, user_id: 'bench-{{n}}' }) } },
  { name: 'seed-agno-chat', label: 'seed: Agno chat', baseline: 'chat', recipe: { path: '/api/v1/chat', body: json({ message: INPUT, stream: true, model: 'demo:bench' }) } },
  { name: 'seed-autogen', label: 'seed: AutoGen', baseline: 'business_insights', recipe: { path: '/ask-stream', body: json({ question: INPUT }) } },
];
