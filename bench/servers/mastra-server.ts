import { serve } from '@hono/node-server';
import { Agent } from '@mastra/core/agent';
import { Mastra } from '@mastra/core/mastra';
import { createTool } from '@mastra/core/tools';
import { MastraServer } from '@mastra/hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { BENCH_PROFILE, parsePacedProfile, type ModelProfile } from '../lib/model-profile.ts';
import { announceReady, listenAddress, readServerStats, STATS_PATH } from './bench-stats.ts';
import { createMockModel } from './mock-model.ts';

// The Mastra peer: Mastra agents behind its official Hono server adapter (`@mastra/hono`), streamed by
// its own `POST /api/agents/:agentId/stream` route (SSE). Agent `bench` has the calculator tool;
// the paced profiles named in BENCH_PACED_PROFILES (comma-separated `150x20`) become agents `paced-150x20`.

const calculator = createTool({
  id: 'calculator',
  description: 'Evaluates an arithmetic expression.',
  inputSchema: z.object({ expression: z.string() }),
  execute: async (input) => ({ expression: input.expression, result: 4 }),
});

function agentFor(id: string, profile: ModelProfile): Agent {
  // A model function: a fresh mock per request (the mock keeps every call it receives).
  return new Agent({ id, name: id, instructions: 'You are a helpful assistant.', model: (() => createMockModel(profile)) as never, tools: profile.toolStep ? { calculator } : {} });
}

const agents: Record<string, Agent> = { bench: agentFor('bench', BENCH_PROFILE) };
for (const spec of (process.env.BENCH_PACED_PROFILES ?? '').split(',').filter(Boolean)) {
  const profile = parsePacedProfile(spec);
  if (profile) agents[`paced-${spec}`] = agentFor(`paced-${spec}`, profile);
}

const mastra = new Mastra({ agents, logger: false });
const app = new Hono();
app.get(STATS_PATH, (c) => c.json(readServerStats({ collect: c.req.query('gc') === '1' })));
await new MastraServer({ app: app as never, mastra, prefix: '/api' }).init();

const { host, port } = listenAddress();
serve({ fetch: app.fetch, hostname: host, port }, (info) => announceReady(`http://${host}:${info.port}`));
process.on('SIGTERM', () => process.exit(0));
