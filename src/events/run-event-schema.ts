import { z } from 'zod';
import type { RunEvent } from './run-event.ts';

// The wire contract of the native stream, shared by the server's tests and `client/`, so what a
// client accepts is exactly what the server may send. Kept beside the TypeScript union it mirrors.

const JsonValue: z.ZodType = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValue), z.record(z.string(), JsonValue)]));

const AgentRef = z.object({ id: z.string(), name: z.string(), role: z.enum(['agent', 'orchestrator', 'member', 'system']), path: z.array(z.string()) });
const Usage = z.object({
  inputTokens: z.number().int().nonnegative(), outputTokens: z.number().int().nonnegative(), totalTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative().optional(), costUsd: z.number().nonnegative().optional(),
});
const PublicError = z.object({ code: z.string(), message: z.string(), details: JsonValue.optional() });
const PendingInput = z.object({ toolCallId: z.string(), toolName: z.string(), args: JsonValue, kind: z.enum(['approval', 'question']), question: z.string().optional(), agent: AgentRef });
const envelope = { runId: z.string().min(1), seq: z.number().int().positive(), ts: z.iso.datetime({ offset: true }), agent: AgentRef };

/** Validates one native event: the envelope and the variant's fields. */
export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('run.started'), target: z.object({ kind: z.enum(['agent', 'team']), id: z.string() }), input: z.object({ text: z.string(), sessionId: z.string().optional(), model: z.string().optional() }), model: z.string() }),
  z.object({ ...envelope, type: z.literal('agent.started'), task: z.string().optional(), model: z.string().optional() }),
  z.object({ ...envelope, type: z.literal('reasoning.delta'), reasoningId: z.string(), delta: z.string() }),
  z.object({ ...envelope, type: z.literal('message.delta'), messageId: z.string(), delta: z.string() }),
  z.object({ ...envelope, type: z.literal('message.completed'), messageId: z.string(), text: z.string() }),
  z.object({ ...envelope, type: z.literal('tool.started'), toolCallId: z.string(), toolName: z.string(), args: JsonValue, clientSide: z.literal(true).optional() }),
  z.object({ ...envelope, type: z.literal('tool.completed'), toolCallId: z.string(), toolName: z.string(), result: JsonValue, durationMs: z.number().nonnegative() }),
  z.object({ ...envelope, type: z.literal('tool.failed'), toolCallId: z.string(), toolName: z.string(), error: PublicError, durationMs: z.number().nonnegative() }),
  z.object({ ...envelope, type: z.literal('team.routed'), memberIds: z.array(z.string()), reason: z.string(), task: z.string().optional(), mode: z.string() }),
  z.object({ ...envelope, type: z.literal('agent.completed'), output: z.string(), usage: Usage, error: PublicError.optional() }),
  z.object({ ...envelope, type: z.literal('usage'), usage: Usage, step: z.number().int().nonnegative() }),
  z.object({ ...envelope, type: z.literal('step.completed'), step: z.number().int().positive(), text: z.string(), toolCalls: z.array(z.object({ toolCallId: z.string(), toolName: z.string(), input: JsonValue })), usage: Usage, finishReason: z.string() }),
  z.object({ ...envelope, type: z.literal('run.resumed'), attempt: z.number().int().positive(), reason: z.string(), discardedMessageIds: z.array(z.string()) }),
  z.object({ ...envelope, type: z.literal('run.awaiting_input'), pending: z.array(PendingInput), expiresAt: z.iso.datetime({ offset: true }).nullable() }),
  z.object({
    ...envelope, type: z.literal('input.received'), pending: z.array(PendingInput),
    decisions: z.array(z.object({ toolCallId: z.string(), decision: z.enum(['approve', 'reject', 'edit']), args: JsonValue.optional(), reason: z.string().optional(), path: z.array(z.string()) })),
    answers: z.array(z.object({ toolCallId: z.string(), text: z.string(), path: z.array(z.string()) })),
  }),
  z.object({ ...envelope, type: z.literal('progress'), percent: z.number().min(0).max(100), message: z.string().optional() }),
  z.object({ ...envelope, type: z.literal('run.completed'), output: z.string(), usage: Usage }),
  z.object({ ...envelope, type: z.literal('run.failed'), error: PublicError, usage: Usage.optional() }),
  z.object({ ...envelope, type: z.literal('run.cancelled'), reason: z.string(), usage: Usage.optional() }),
]);

/** Parses and validates one event's JSON text; throws with the failing field on anything else. */
export function parseRunEvent(json: string): RunEvent {
  return RunEventSchema.parse(JSON.parse(json)) as RunEvent;
}
