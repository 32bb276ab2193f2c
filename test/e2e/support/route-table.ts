/**
 * Every route the server serves (as `GET /openapi.json` lists them), with a valid request each, and the wire
 * dialect a 200 stream of it speaks. Robustness tests derive their garbage from these valid requests.
 */

/** How a route's 200 `text/event-stream` answer is read and how it must end. */
export type Dialect = 'native' | 'agno-multi' | 'dedalus' | 'autogen' | 'openai-agents' | 'agno-chat' | 'ag-ui' | 'ai-sdk' | 'openai';

export type RouteCase = {
  /** `METHOD /openapi/path`, exactly as in the OpenAPI document. */
  route: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path with its parameters filled in with `id` (a valid one unless a test passes garbage). */
  path: (id?: string) => string;
  /** A valid JSON body (POST). */
  body?: unknown;
  /** A valid query string (GET routes that take one). */
  query?: Record<string, string>;
  /** The dialect of its streams; undefined when the route never streams. */
  dialect?: Dialect;
  /** The route answers with its protocol's own error form (OpenAI's `{error: {message, type, …}}`). */
  openAiErrors?: boolean;
  /** The route's 200 is plain text (Prometheus metrics), not JSON. */
  plainText?: boolean;
  /** True when the route has a path parameter worth filling with garbage. */
  hasParam?: boolean;
};

const user = (text: string) => ({ id: 'u1', role: 'user', content: text });

/** The route cases; `runId` is a real run's id for the routes that read one. */
export function routeCases(options: { runId: string }): RouteCase[] {
  const fixed = (path: string) => () => path;
  const at = (build: (id: string) => string, fallback: string) => (id?: string) => build(id ?? fallback);
  return [
    { route: 'GET /health', method: 'GET', path: fixed('/health') },
    { route: 'GET /ready', method: 'GET', path: fixed('/ready') },
    { route: 'GET /metrics', method: 'GET', path: fixed('/metrics'), plainText: true },
    { route: 'POST /v1/runs', method: 'POST', path: fixed('/v1/runs'), body: { agent: 'chat', input: 'hello', metadata: { source: 'fuzz' } }, dialect: 'native' },
    { route: 'GET /v1/runs', method: 'GET', path: fixed('/v1/runs'), query: { limit: '5', status: 'completed', agent: 'chat' } },
    { route: 'GET /v1/runs/{runId}', method: 'GET', path: at((id) => `/v1/runs/${id}`, options.runId), hasParam: true },
    { route: 'GET /v1/runs/{runId}/events', method: 'GET', path: at((id) => `/v1/runs/${id}/events`, options.runId), query: { after: '1' }, dialect: 'native', hasParam: true },
    { route: 'POST /v1/runs/{runId}/input', method: 'POST', path: at((id) => `/v1/runs/${id}/input`, options.runId), body: { decisions: [{ toolCallId: 'call_1', decision: 'approve' }] }, hasParam: true },
    { route: 'GET /v1/runs/{runId}/webhooks', method: 'GET', path: at((id) => `/v1/runs/${id}/webhooks`, options.runId), hasParam: true },
    { route: 'POST /v1/schedules', method: 'POST', path: fixed('/v1/schedules'), body: { agent: 'chat', input: 'hello', cron: '0 9 1 1 *', timezone: 'UTC', enabled: false } },
    { route: 'GET /v1/schedules', method: 'GET', path: fixed('/v1/schedules') },
    { route: 'GET /v1/schedules/{id}', method: 'GET', path: at((id) => `/v1/schedules/${id}`, 'sch_missing'), hasParam: true },
    { route: 'PATCH /v1/schedules/{id}', method: 'PATCH', path: at((id) => `/v1/schedules/${id}`, 'sch_missing'), body: { enabled: false }, hasParam: true },
    { route: 'DELETE /v1/schedules/{id}', method: 'DELETE', path: at((id) => `/v1/schedules/${id}`, 'sch_missing'), hasParam: true },
    { route: 'POST /v1/runs/{runId}/cancel', method: 'POST', path: at((id) => `/v1/runs/${id}/cancel`, options.runId), body: {}, hasParam: true },
    { route: 'GET /v1/agents', method: 'GET', path: fixed('/v1/agents') },
    { route: 'GET /v1/agents/{id}', method: 'GET', path: at((id) => `/v1/agents/${id}`, 'assistant'), hasParam: true },
    { route: 'GET /v1/teams', method: 'GET', path: fixed('/v1/teams') },
    { route: 'GET /v1/teams/{id}', method: 'GET', path: at((id) => `/v1/teams/${id}`, 'research'), hasParam: true },
    { route: 'GET /v1/models', method: 'GET', path: fixed('/v1/models') },
    { route: 'GET /v1/mcp-servers', method: 'GET', path: fixed('/v1/mcp-servers') },
    { route: 'GET /v1/tools', method: 'GET', path: fixed('/v1/tools') },
    { route: 'GET /v1/sessions', method: 'GET', path: fixed('/v1/sessions'), query: { limit: '5', agent: 'chat', q: 'hello' } },
    { route: 'GET /v1/sessions/{id}', method: 'GET', path: at((id) => `/v1/sessions/${id}`, 'ses_missing'), query: { limit: '2' }, hasParam: true },
    // A session stream stays open for the session's next run, so every answer here must be for an unknown session (a
    // complete 404). Not `hasParam`: garbage ids such as `__proto__` are real sessions once a garbage body of POST /v1/runs
    // used them as its sessionId. GET /v1/sessions/{id} takes the garbage ids for both.
    { route: 'GET /v1/sessions/{id}/events', method: 'GET', path: at((id) => `/v1/sessions/${id}/events`, 'ses_missing'), query: { after: '1:1' } },
    { route: 'DELETE /v1/sessions/{id}', method: 'DELETE', path: at((id) => `/v1/sessions/${id}`, 'ses_missing'), hasParam: true },
    // Seed 000, Agno multi-agent.
    { route: 'POST /api/v1/agent/stream', method: 'POST', path: fixed('/api/v1/agent/stream'), body: { message: 'hello', user_id: 'fuzz', project_id: 'p', stream_intermediate_steps: true }, dialect: 'agno-multi' },
    { route: 'GET /api/v1/agent/stream', method: 'GET', path: fixed('/api/v1/agent/stream'), query: { message: 'hello', user_id: 'fuzz', stream_intermediate_steps: 'false' }, dialect: 'agno-multi' },
    { route: 'POST /api/v1/team/stream', method: 'POST', path: fixed('/api/v1/team/stream'), body: { message: 'hello', team_config: { team: 'web_team' }, stream_intermediate_steps: false }, dialect: 'agno-multi' },
    { route: 'GET /api/v1/team/stream', method: 'GET', path: fixed('/api/v1/team/stream'), query: { message: 'hello', team: 'web_team' }, dialect: 'agno-multi' },
    { route: 'GET /api/v1/health', method: 'GET', path: fixed('/api/v1/health') },
    { route: 'GET /api/v1/agents/status', method: 'GET', path: fixed('/api/v1/agents/status') },
    { route: 'DELETE /api/v1/agents/cleanup', method: 'DELETE', path: fixed('/api/v1/agents/cleanup') },
    // Seed 001, Dedalus.
    { route: 'POST /api/agent/stream', method: 'POST', path: fixed('/api/agent/stream'), body: { input: 'what is 6 * 7', model: 'demo', mcp_servers: [] }, dialect: 'dedalus' },
    { route: 'POST /api/agent/execute', method: 'POST', path: fixed('/api/agent/execute'), body: { input: 'what is 6 * 7', model: 'demo' } },
    { route: 'POST /api/agent/stream/simulate', method: 'POST', path: fixed('/api/agent/stream/simulate'), body: { input: 'hello', simulate_error: false }, dialect: 'dedalus' },
    { route: 'GET /api/agent/models', method: 'GET', path: fixed('/api/agent/models') },
    { route: 'GET /api/agent/mcp-servers', method: 'GET', path: fixed('/api/agent/mcp-servers') },
    // Seed 002, AutoGen.
    { route: 'POST /ask-stream', method: 'POST', path: fixed('/ask-stream'), body: { question: 'How are sales?' }, dialect: 'autogen' },
    { route: 'GET /test-stream', method: 'GET', path: fixed('/test-stream'), dialect: 'autogen' },
    // Seed 003, OpenAI Agents SDK.
    { route: 'POST /assistant/run', method: 'POST', path: fixed('/assistant/run'), body: { input: 'hello', session_id: 'fuzz-a', context: { a: 1 } } },
    { route: 'POST /assistant/stream', method: 'POST', path: fixed('/assistant/stream'), body: { input: 'hello', context: { a: 1 } }, dialect: 'openai-agents' },
    { route: 'GET /assistant/info', method: 'GET', path: fixed('/assistant/info') },
    { route: 'POST /chat/run', method: 'POST', path: fixed('/chat/run'), body: { input: 'hello' } },
    { route: 'POST /chat/stream', method: 'POST', path: fixed('/chat/stream'), body: { input: 'hello', session_id: 'fuzz-c' }, dialect: 'openai-agents' },
    { route: 'GET /chat/info', method: 'GET', path: fixed('/chat/info') },
    { route: 'POST /research', method: 'POST', path: fixed('/research'), body: { input: 'AI trends', stream: true }, query: { stream: 'true' }, dialect: 'openai-agents' },
    // Seed 004, Agno chat.
    { route: 'POST /api/v1/chat', method: 'POST', path: fixed('/api/v1/chat'), body: { message: 'hello', stream: true, user_id: 'fuzz' }, dialect: 'agno-chat' },
    // The ecosystem's protocols.
    {
      route: 'POST /agui/{target}', method: 'POST', path: at((id) => `/agui/${id}`, 'chat'), hasParam: true, dialect: 'ag-ui',
      body: { threadId: 'fuzz-thread', runId: 'fuzz-run', messages: [user('hello')], state: { a: [1] }, tools: [], context: [], forwardedProps: { model: 'demo' } },
    },
    {
      route: 'POST /ai-sdk/{target}', method: 'POST', path: at((id) => `/ai-sdk/${id}`, 'chat'), hasParam: true, dialect: 'ai-sdk',
      body: { id: 'fuzz-chat', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hello' }] }], trigger: 'submit-message' },
    },
    { route: 'GET /ai-sdk/{target}/{chatId}/stream', method: 'GET', path: at((id) => `/ai-sdk/chat/${id}/stream`, 'fuzz-chat'), hasParam: true, dialect: 'ai-sdk' },
    { route: 'POST /ai-sdk/{target}/{chatId}/stop', method: 'POST', path: at((id) => `/ai-sdk/${id}/fuzz-chat/stop`, 'chat'), hasParam: true, body: {} },
    { route: 'GET /openai/v1/models', method: 'GET', path: fixed('/openai/v1/models'), openAiErrors: true },
    { route: 'GET /openai/v1/models/{id}', method: 'GET', path: at((id) => `/openai/v1/models/${id}`, 'chat'), hasParam: true, openAiErrors: true },
    {
      route: 'POST /openai/v1/chat/completions', method: 'POST', path: fixed('/openai/v1/chat/completions'), dialect: 'openai', openAiErrors: true,
      body: { model: 'chat', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello' }], stream: true, stream_options: { include_usage: true } },
    },
    { route: 'POST /openai/v1/responses', method: 'POST', path: fixed('/openai/v1/responses'), openAiErrors: true, body: { model: 'chat', input: [{ role: 'user', content: [{ type: 'input_text', text: 'hello' }] }] } },
    { route: 'GET /openai/v1/responses/{id}', method: 'GET', path: at((id) => `/openai/v1/responses/${id}`, options.runId), hasParam: true, openAiErrors: true },
    { route: 'GET /.well-known/agent-card.json', method: 'GET', path: fixed('/.well-known/agent-card.json') },
    { route: 'GET /a2a/{target}/.well-known/agent-card.json', method: 'GET', path: at((id) => `/a2a/${id}/.well-known/agent-card.json`, 'chat'), hasParam: true },
    {
      route: 'POST /a2a/{target}', method: 'POST', path: at((id) => `/a2a/${id}`, 'chat'), hasParam: true,
      body: { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: { message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'hello' }] } } },
    },
    {
      route: 'POST /mcp', method: 'POST', path: fixed('/mcp'),
      body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } },
    },
    { route: 'GET /mcp', method: 'GET', path: fixed('/mcp') },
    { route: 'DELETE /mcp', method: 'DELETE', path: fixed('/mcp') },
    { route: 'POST /openai/v1/responses/{id}/cancel', method: 'POST', path: at((id) => `/openai/v1/responses/${id}/cancel`, options.runId), hasParam: true, body: {}, openAiErrors: true },
  ];
}

/** Path parameters that have broken routers and stores: encoded slashes and dots, NUL, very long ids. */
export const GARBAGE_IDS: readonly string[] = [
  '%2F', 'a%2Fb', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e', '.', '..%00', '%00', '%ZZ', '%', '%E0%A4%A', '%C0%AF',
  '%F0%9F%98%80', '%20', '%09', '%0D%0AX-Injected:%201', 'run_%27%3B--', 'x'.repeat(300), 'x'.repeat(5000), `run_${'9'.repeat(2000)}`,
  '__proto__', 'constructor', 'hasOwnProperty', 'run_00000000-0000-0000-0000-000000000000',
];

/** Query strings that have broken parsers: repeated keys, bad encodings, odd types. */
export const GARBAGE_QUERIES: readonly string[] = [
  'after=-1', 'after=abc', 'after=1e3', 'after=99999999999999999999', 'after=1&after=2', 'after[]=1', 'after=%00',
  'limit=0', 'limit=-5', 'limit=abc', 'limit=1e400', 'limit=201', 'limit=1&limit=2', 'status=sideways', 'status[]=completed',
  'since=yesterday', 'until=2026-99-99T00:00:00Z', 'cursor=%ZZ', 'cursor=!!!', `cursor=${'A'.repeat(600)}`, 'cursor=MjAyNnxydW4', 'sessionId=',
  'message=', 'message=%00', 'stream_intermediate_steps=maybe', 'team=nobody', 'team=%2e%2e', 'stream=yes', 'query=',
  'message=%ED%A0%80', 'message=%FF%FE', '__proto__[x]=1', 'constructor[prototype][x]=1', '%ZZ=%ZZ', '&&&&', '=', `q=${'z'.repeat(8000)}`,
];
