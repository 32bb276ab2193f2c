import { z } from 'zod';

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
  })
  .refine((body) => (body.agent === undefined) !== (body.team === undefined), { message: 'Give exactly one of agent or team', path: ['agent'] });

export type StartRunBody = z.infer<typeof StartRunBody>;

export const ListRunsQuery = z.object({
  agent: id.optional(),
  team: id.optional(),
  status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']).optional(),
  sessionId: id.optional(),
  session: id.optional().describe('Alias of sessionId'),
  since: z.string().datetime({ offset: true }).optional(),
  until: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const EventsQuery = z.object({ after: z.string().max(20).optional() });

/** JSON Schema of a zod schema, for the OpenAPI document only (validation stays in zod). */
export function docSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
