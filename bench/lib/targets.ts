import type { RequestRecipe } from '../load/stream-request.ts';

/** A server under test: how to start it and what each kind of request looks like on its own API. */
export type Target = {
  name: TargetName;
  label: string;
  /** The server script, relative to bench/. */
  script: string;
  /** Needs bench/node_modules (the peer stacks). */
  needsPeerDeps: boolean;
  /** The run: 1 calculator call + 500 text deltas, zero latency. */
  benchRun: RequestRecipe;
  /** A tool-less run of `deltas` text deltas `delayMs` apart; variants rotate (the soak mixes disconnect policies). */
  pacedRun(deltas: number, delayMs: number, options?: { soak?: boolean }): RequestRecipe[];
  /** A team run (research pipeline), where the stack has teams. */
  teamRun?: RequestRecipe;
  /** A short run: the demo assistant's own answer (the `demo` model, no token delay), where the stack has it. */
  shortRun?: RequestRecipe;
};

export type TargetName = 'agentstream' | 'raw' | 'aisdk' | 'mastra';

const INPUT = 'What is 2+2? Then tell me about streaming.';
const json = (value: unknown) => JSON.stringify(value);

const nativeRuns = {
  benchRun: { path: '/v1/runs', body: json({ agent: 'assistant', input: INPUT, model: 'demo:bench' }) },
  pacedRun(deltas: number, delayMs: number, options: { soak?: boolean } = {}) {
    const body = { agent: 'chat', input: INPUT, model: `benchpaced:${deltas}x${delayMs}` };
    if (!options.soak) return [{ path: '/v1/runs', body: json(body) }];
    // Half the dropped streams leave their run going (the default), half cancel it.
    return [{ path: '/v1/runs', body: json({ ...body, onDisconnect: 'continue' }) }, { path: '/v1/runs', body: json({ ...body, onDisconnect: 'cancel' }) }];
  },
  teamRun: { path: '/v1/runs', body: json({ team: 'research', input: INPUT, model: 'demo:bench' }) },
  shortRun: { path: '/v1/runs', body: json({ agent: 'assistant', input: INPUT, model: 'demo' }) },
};

/** Every target, in table order. */
export const TARGETS: Target[] = [
  { name: 'agentstream', label: 'agentstream (native SSE)', script: 'servers/agentstream-server.ts', needsPeerDeps: false, ...nativeRuns },
  { name: 'raw', label: 'raw node:http, same frames', script: 'servers/raw-server.ts', needsPeerDeps: false, ...nativeRuns },
  {
    name: 'aisdk',
    label: 'AI SDK streamText + Hono',
    script: 'servers/aisdk-hono-server.ts',
    needsPeerDeps: true,
    benchRun: { path: '/api/chat', body: json({ messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: INPUT }] }], profile: 'bench' }) },
    pacedRun: (deltas, delayMs) => [{ path: '/api/chat', body: json({ messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: INPUT }] }], profile: `${deltas}x${delayMs}` }) }],
  },
  {
    name: 'mastra',
    label: 'Mastra + @mastra/hono',
    script: 'servers/mastra-server.ts',
    needsPeerDeps: true,
    benchRun: { path: '/api/agents/bench/stream', body: json({ messages: [{ role: 'user', content: INPUT }] }) },
    pacedRun: (deltas, delayMs) => [{ path: `/api/agents/paced-${deltas}x${delayMs}/stream`, body: json({ messages: [{ role: 'user', content: INPUT }] }) }],
  },
];
