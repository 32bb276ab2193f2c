import { serve } from '@hono/node-server';
import { convertToModelMessages, isStepCount, streamText, tool, type UIMessage } from 'ai';
import { Hono } from 'hono';
import { z } from 'zod';
import { BENCH_PROFILE, parsePacedProfile } from '../lib/model-profile.ts';
import { announceReady, listenAddress, readServerStats, STATS_PATH } from './bench-stats.ts';
import { createMockModel } from './mock-model.ts';

// The AI SDK peer, as its docs build a chat route: `streamText` with a calculator tool, two steps,
// `toUIMessageStreamResponse()` (the UI message stream over SSE), served by Hono on @hono/node-server.
// Framework defaults everywhere (keep-alive timeout included): this is the stack as people deploy it.

const calculator = tool({
  description: 'Evaluates an arithmetic expression.',
  inputSchema: z.object({ expression: z.string() }),
  execute: async ({ expression }) => ({ expression, result: 4 }),
});

const app = new Hono();
app.get(STATS_PATH, (c) => c.json(readServerStats({ collect: c.req.query('gc') === '1' })));
app.post('/api/chat', async (c) => {
  const body = (await c.req.json()) as { messages: UIMessage[]; profile?: string };
  const profile = body.profile === undefined || body.profile === 'bench' ? BENCH_PROFILE : parsePacedProfile(body.profile);
  if (!profile) return c.json({ error: 'unknown profile' }, 400);
  const result = streamText({
    model: createMockModel(profile),
    instructions: 'You are a helpful assistant.',
    messages: await convertToModelMessages(body.messages),
    tools: profile.toolStep ? { calculator } : undefined,
    stopWhen: isStepCount(2),
    abortSignal: c.req.raw.signal,
  });
  return result.toUIMessageStreamResponse();
});

const { host, port } = listenAddress();
serve({ fetch: app.fetch, hostname: host, port }, (info) => announceReady(`http://${host}:${info.port}`));
process.on('SIGTERM', () => process.exit(0));
