import { z } from 'zod';
import { REPLAY_FORMATS } from './routes/replay-format-names.ts';
import { MULTITASK_POLICIES } from '../agents/multitask-policy.ts';

const id = z.string().trim().min(1).max(200);

/** `POST /v1/runs`: exactly one of `agent` or `team`. */
export const StartRunBody = z
  .object({
    agent: id.optional().describe('Agent id, e.g. `assistant`'),
    team: id.optional().describe('Team id, e.g. `research`'),
    input: z.string().min(1).max(100_000).describe('The user message'),
    sessionId: id.optional().describe('Continue this conversation; omitted starts a new session'),
    model: z.string().trim().min(1).max(200).optional().describe('`provider:model`, e.g. `demo` or `openai:gpt-4.1`'),
    stream: z.boolean().default(true).describe('false: wait and answer with one JSON document'),
    background: z.boolean().default(false).describe('true: answer 202 with the run id at once'),
    onDisconnect: z.enum(['continue', 'cancel']).default('continue').describe('What a dropped stream does to the run'),
    timeoutMs: z.number().int().min(1).max(3_600_000).optional().describe('Per-run time limit'),
    metadata: z.record(z.string(), z.unknown()).optional(),
    mcpServers: z.array(z.string().trim().min(1).max(64)).max(32).optional().describe('Configured MCP servers whose tools the run\'s agents also get (see `GET /v1/mcp-servers`)'),
    output: z.object({ schema: z.record(z.string(), z.unknown()).describe('A JSON Schema the final answer must satisfy (checked on the server)') }).optional().describe('Structured output (agents only)'),
    requireApproval: z.array(z.string().trim().min(1).max(128)).max(64).optional().describe('Tool names whose calls wait for a person\'s approval in this run (human in the loop), for every agent of it'),
    inputTimeoutMs: z.number().int().min(0).max(30 * 86_400_000).optional().describe('How long the run may wait for input before it fails `input_timeout` (0: forever); default the server\'s'),
    webhook: z.object({ url: z.string().trim().min(1).max(2000).describe('http(s) URL on the server\'s AGENTSTREAM_WEBHOOK_ALLOWLIST') }).optional()
      .describe('POST the final run record here when the run ends, signed per Standard Webhooks (see README "Webhooks")'),
    multitask: z.enum(MULTITASK_POLICIES).optional().describe('Double-texting: what this message does when its session has a run still going: `reject` (409 `session_busy`), `enqueue` (runs after it), `interrupt` (cancels it, keeps its partial answer in the history), `rollback` (cancels it and drops its turns). Default: the agent\'s or team\'s `multitask`, else `reject`'),
  })
  .refine((body) => (body.agent === undefined) !== (body.team === undefined), { message: 'Give exactly one of agent or team', path: ['agent'] });

export type StartRunBody = z.infer<typeof StartRunBody>;

export const ListRunsQuery = z.object({
  agent: id.optional(),
  team: id.optional(),
  status: z.enum(['queued', 'running', 'awaiting_input', 'completed', 'failed', 'cancelled']).optional(),
  sessionId: id.optional(),
  session: id.optional().describe('Alias of sessionId'),
  since: z.string().datetime({ offset: true }).optional(),
  until: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  scheduleId: id.optional().describe('Only runs this schedule started'),
});

/** `POST /v1/runs/{id}/input`: decisions on pending approvals and answers to pending questions (at least one). */
export const RunInputBody = z.object({
  decisions: z.array(z.object({
    toolCallId: z.string().min(1).max(200),
    decision: z.enum(['approve', 'reject', 'edit']),
    args: z.unknown().optional().describe('`edit`: the arguments to run the tool with instead'),
    reason: z.string().max(10_000).optional().describe('`reject`: why; the model reads it as the tool\'s result'),
  })).max(256).optional(),
  answers: z.array(z.object({ toolCallId: z.string().min(1).max(200), text: z.string().max(100_000) })).max(256).optional(),
}).strict();

export const RunInputResultDoc = z.object({
  runId: z.string(), status: z.enum(['queued', 'awaiting_input']).describe('`queued`: nothing is pending any more and the run goes on; `awaiting_input`: the rest still waits'),
  lastSeq: z.number().int().describe('The seq of the `input.received` event that recorded this input'),
  pending: z.array(z.object({ toolCallId: z.string(), toolName: z.string(), args: z.unknown(), kind: z.enum(['approval', 'question']), question: z.string().optional(), agent: z.unknown() })),
}).describe('The input was recorded');

export const EventsQuery = z.object({
  after: z.string().max(20).optional(),
  format: z.enum(REPLAY_FORMATS).default('native').describe('The wire format to render the run in (the whole run, from its first event, for any format but native)'),
});

/** `POST /v1/schedules`: exactly one of `agent` or `team`, a five-field cron and an IANA time zone. */
export const CreateScheduleBody = z
  .object({
    agent: id.optional().describe('Agent id'),
    team: id.optional().describe('Team id'),
    input: z.string().min(1).max(100_000).refine((text) => !text.includes('\u0000'), 'must not contain NUL (U+0000) characters').describe('The message each run gets'),
    cron: z.string().trim().min(1).max(200).describe('Five fields: minute hour day-of-month month day-of-week, e.g. `0 9 * * mon-fri`'),
    timezone: z.string().trim().min(1).max(100).default('UTC').describe('IANA time zone the cron is read in, e.g. `Europe/Paris`'),
    sessionId: id.optional().describe('Every run continues this session; omitted, each run starts its own'),
    enabled: z.boolean().default(true),
  })
  .refine((body) => (body.agent === undefined) !== (body.team === undefined), { message: 'Give exactly one of agent or team', path: ['agent'] });

/** `PATCH /v1/schedules/{id}`: the fields to change. */
export const UpdateScheduleBody = z.object({
  input: z.string().min(1).max(100_000).refine((text) => !text.includes('\u0000'), 'must not contain NUL (U+0000) characters').optional(),
  cron: z.string().trim().min(1).max(200).optional(),
  timezone: z.string().trim().min(1).max(100).optional(),
  sessionId: id.nullable().optional().describe('null: each run starts its own session'),
  enabled: z.boolean().optional(),
}).strict();


export const ListSessionsQuery = z.object({
  agent: id.optional().describe('Sessions with a run of this agent'),
  team: id.optional().describe('Sessions with a run of this team'),
  since: z.string().datetime({ offset: true }).optional().describe('Created at or after'),
  until: z.string().datetime({ offset: true }).optional().describe('Created at or before'),
  q: z.string().trim().min(1).max(200).optional().describe('Title contains this text (case-insensitive)'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const SessionQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('At most this many messages: the newest ones (before `before`)'),
  before: z.coerce.number().int().min(0).optional().describe('Only messages before this index (the `index` of a message; `messagesFrom` of the previous page)'),
});

export const SessionEventsQuery = z.object({ after: z.string().max(40).optional().describe('As Last-Event-ID: `<sessionSeq>:<seq>`') });

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema, for the OpenAPI document only (validation stays in zod). */
export function docSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

// Response shapes, for the OpenAPI document (the handlers build them; these describe them).

const UsageDoc = z.object({
  inputTokens: z.number().int(), outputTokens: z.number().int(), totalTokens: z.number().int(),
  reasoningTokens: z.number().int().optional(), costUsd: z.number().optional(),
});
const PublicErrorDoc = z.object({ code: z.string().describe('A code of docs/errors.md'), message: z.string(), details: z.unknown().optional() });

export const ErrorResponseDoc = z.object({ error: PublicErrorDoc }).describe('Every error answer: `{error: {code, message, details?}}`');

export const RunRecordDoc = z.object({
  id: z.string(), target: z.object({ kind: z.enum(['agent', 'team']), id: z.string() }), sessionId: z.string(), model: z.string(), input: z.string(),
  status: z.enum(['queued', 'running', 'awaiting_input', 'completed', 'failed', 'cancelled']), output: z.string().nullable(), usage: UsageDoc.nullable(), error: PublicErrorDoc.nullable(),
  createdAt: z.string(), startedAt: z.string().nullable(), endedAt: z.string().nullable(), lastSeq: z.number().int(), metadata: z.unknown(),
  sessionSeq: z.number().int().optional().describe('The run\'s place in its session (1, 2, 3…): the first part of a session stream\'s event ids'),
  sessionWaiting: z.boolean().optional().describe('True while it waits (queued) for its session\'s earlier run to end (`multitask: enqueue`)'),
}).describe('A run: status, output, usage, error, times and the seq of its newest event');

export const RunSummaryDoc = z.object({
  runId: z.string(), sessionId: z.string(), status: z.enum(['queued', 'running', 'awaiting_input', 'completed', 'failed', 'cancelled']),
  output: z.string().nullable(), usage: UsageDoc.nullable(), error: PublicErrorDoc.optional(),
}).describe('A finished run (`stream: false`, cancel)');

export const RunStartedDoc = z.object({
  runId: z.string(), sessionId: z.string(), status: z.string(),
  links: z.object({ self: z.string(), events: z.string(), cancel: z.string(), input: z.string() }),
}).describe('`background: true`: the run is under way');

export const RunPageDoc = z.object({ runs: z.array(RunRecordDoc), nextCursor: z.string().nullable() });

export const ScheduleDoc = z.object({
  id: z.string(), target: z.object({ kind: z.enum(['agent', 'team']), id: z.string() }), input: z.string(), cron: z.string(), timezone: z.string(),
  sessionId: z.string().nullable(), enabled: z.boolean(), nextRunAt: z.string().nullable().describe('The next slot (UTC); null while disabled'),
  lastRunAt: z.string().nullable().describe('The last slot fired'), createdAt: z.string(), updatedAt: z.string(),
}).describe('A schedule: runs of an agent or team on a cron');

export const ScheduleListDoc = z.object({ schedules: z.array(ScheduleDoc) });

export const WebhookDeliveriesDoc = z.object({
  runId: z.string(),
  deliveries: z.array(z.object({
    messageId: z.string().describe('The `webhook-id` header, the same on every retry'), url: z.string(), eventType: z.enum(['run.completed', 'run.failed', 'run.cancelled']),
    status: z.enum(['pending', 'delivered', 'failed']), nextAttemptAt: z.string().nullable(), createdAt: z.string(),
    attempts: z.array(z.object({ attempt: z.number().int(), at: z.string(), durationMs: z.number(), statusCode: z.number().int().nullable(), error: z.string().nullable() })),
  })).describe('Empty while the run goes on, or when it named no webhook'),
}).describe('A run\'s webhook deliveries and every attempt');
export const SessionSummaryDoc = z.object({
  id: z.string(), title: z.string().nullable().describe('The first message, one line, at most 80 characters'), createdAt: z.string(), updatedAt: z.string(),
  runCount: z.number().int(), activeRunId: z.string().nullable().describe('The run holding the session (still going), if any'),
  lastRun: z.object({ id: z.string(), status: z.enum(['queued', 'running', 'awaiting_input', 'completed', 'failed', 'cancelled']), target: z.object({ kind: z.enum(['agent', 'team']), id: z.string() }) }).nullable(),
}).describe('A session as `GET /v1/sessions` lists it');

export const SessionPageDoc = z.object({ sessions: z.array(SessionSummaryDoc), nextCursor: z.string().nullable() });

export const SessionDoc = z.object({
  id: z.string(), createdAt: z.string(), updatedAt: z.string(), activeRunId: z.string().nullable(),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string(), runId: z.string(), ts: z.string() })),
  messageCount: z.number().int().describe('Messages in the whole session'), messagesFrom: z.number().int().describe('Index of the first message in `messages`'),
  runs: z.array(z.object({ id: z.string(), status: z.string(), createdAt: z.string(), target: z.object({ kind: z.enum(['agent', 'team']), id: z.string() }) })),
}).describe('A session, its messages (all, or a page with `limit`/`before`) and its runs');

/** The OpenAPI response of an SSE route: `text/event-stream`, one frame per event (`id:` seq, `event:` type, `data:` JSON). */
export function sseResponse(description: string, json?: z.ZodType): Record<string, unknown> {
  return {
    description,
    content: {
      'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events: `id: <seq>`, `event: <type>`, `data: <JSON>` frames' } },
      ...(json ? { 'application/json': { schema: docSchema(json) } } : {}),
    },
  };
}
