import { createHash } from 'node:crypto';
import type { Dialect } from './route-table.ts';

// One conversation per request: these routes' double-texting default (`interrupt`) would otherwise cancel each
// other's runs when the cases run at once, which is not what a dropped connection is about.
const conversationOf = (input: string) => `abuse-${createHash('sha256').update(input).digest('hex').slice(0, 16)}`;

/** What a dropped connection does to the run, as each route documents it. */
export type DisconnectContract = 'continue' | 'cancel';

/** One request that opens a stream; `input` is the text the run records, so a test can find the run again. */
export type StreamRequest = { method: 'GET' | 'POST'; path: string; body?: unknown; input: string };

export type StreamingRoute = {
  name: string;
  dialect: Dialect;
  contract: DisconnectContract;
  /** The request for a run whose input is `input` (unique per case, so the run can be found afterwards). */
  request: (input: string) => StreamRequest;
};

const post = (path: string, body: unknown, input: string): StreamRequest => ({ method: 'POST', path, body, input });
const get = (path: string, query: Record<string, string>, input: string): StreamRequest => ({ method: 'GET', path: `${path}?${new URLSearchParams(query)}`, input });

/**
 * Every route that streams a run it starts, with its documented disconnect contract (README, docs/protocols).
 * Resume routes (`GET /v1/runs/{id}/events`, the AI SDK's `GET …/stream`) follow a run started elsewhere and
 * are driven separately.
 */
export const STREAMING_ROUTES: readonly StreamingRoute[] = [
  { name: 'native POST /v1/runs', dialect: 'native', contract: 'continue', request: (input) => post('/v1/runs', { agent: 'chat', input }, input) },
  { name: 'native POST /v1/runs onDisconnect: cancel', dialect: 'native', contract: 'cancel', request: (input) => post('/v1/runs', { agent: 'chat', input, onDisconnect: 'cancel' }, input) },
  { name: 'agno POST /api/v1/agent/stream', dialect: 'agno-multi', contract: 'continue', request: (input) => post('/api/v1/agent/stream', { message: input, user_id: 'abuse' }, input) },
  { name: 'agno GET /api/v1/agent/stream', dialect: 'agno-multi', contract: 'continue', request: (input) => get('/api/v1/agent/stream', { message: input, user_id: 'abuse-get' }, input) },
  { name: 'agno POST /api/v1/team/stream', dialect: 'agno-multi', contract: 'continue', request: (input) => post('/api/v1/team/stream', { message: input }, input) },
  { name: 'agno GET /api/v1/team/stream', dialect: 'agno-multi', contract: 'continue', request: (input) => get('/api/v1/team/stream', { message: input }, input) },
  { name: 'dedalus POST /api/agent/stream', dialect: 'dedalus', contract: 'cancel', request: (input) => post('/api/agent/stream', { input }, input) },
  { name: 'autogen POST /ask-stream', dialect: 'autogen', contract: 'cancel', request: (input) => post('/ask-stream', { question: input }, input) },
  { name: 'openai-agents POST /assistant/stream', dialect: 'openai-agents', contract: 'cancel', request: (input) => post('/assistant/stream', { input }, input) },
  { name: 'openai-agents POST /chat/stream', dialect: 'openai-agents', contract: 'cancel', request: (input) => post('/chat/stream', { input }, input) },
  { name: 'openai-agents POST /research (stream)', dialect: 'openai-agents', contract: 'cancel', request: (input) => post('/research', { input, stream: true }, input) },
  { name: 'agno-chat POST /api/v1/chat (stream)', dialect: 'agno-chat', contract: 'cancel', request: (input) => post('/api/v1/chat', { message: input, stream: true }, input) },
  { name: 'AG-UI POST /agui/chat', dialect: 'ag-ui', contract: 'cancel', request: (input) => post('/agui/chat', { threadId: conversationOf(input), runId: 'abuse', messages: [{ id: 'u1', role: 'user', content: input }] }, input) },
  { name: 'AI SDK POST /ai-sdk/chat', dialect: 'ai-sdk', contract: 'continue', request: (input) => post('/ai-sdk/chat', { id: conversationOf(input), messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: input }] }] }, input) },
  { name: 'AI SDK POST /ai-sdk/chat onDisconnect: cancel', dialect: 'ai-sdk', contract: 'cancel', request: (input) => post('/ai-sdk/chat', { id: `${conversationOf(input)}-cancel`, onDisconnect: 'cancel', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: input }] }] }, input) },
  { name: 'OpenAI POST /openai/v1/chat/completions (stream)', dialect: 'openai', contract: 'cancel', request: (input) => post('/openai/v1/chat/completions', { model: 'chat', stream: true, messages: [{ role: 'user', content: input }] }, input) },
];
