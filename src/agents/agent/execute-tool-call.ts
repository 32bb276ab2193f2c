import type { LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import { ZodError } from 'zod';
import { AppError } from '../../errors/app-error.ts';
import { toPublicError } from '../../errors/public-error.ts';
import type { AgentRef, EmittedEvent, JsonValue } from '../../events/run-event.ts';
import { ToolInputError, type Tool } from '../../tools/define-tool.ts';
import type { ModelToolCall } from './stream-model-step.ts';

export type ToolCallOutcome = { call: ModelToolCall; output: LanguageModelV4ToolResultOutput; failed: boolean };

/**
 * Runs one tool call and reports it as `tool.started` then `tool.completed` or `tool.failed`.
 * A failing tool never fails the run: the model sees the error and carries on.
 */
export async function executeToolCall(options: {
  call: ModelToolCall;
  tools: ReadonlyMap<string, Tool>;
  agent: AgentRef;
  emit: (event: EmittedEvent) => void;
  signal: AbortSignal;
  runId: string;
}): Promise<ToolCallOutcome> {
  const { call, agent, emit } = options;
  emit({ type: 'tool.started', toolCallId: call.toolCallId, toolName: call.toolName, args: toJson(call.input), agent });
  const started = performance.now();
  try {
    const tool = options.tools.get(call.toolName);
    if (!tool) throw new AppError('bad_request', { message: `Unknown tool '${call.toolName}'.` });
    const input = parseInput(tool, call.input);
    const result = await tool.execute(input, { signal: options.signal, runId: options.runId, agent });
    emit({ type: 'tool.completed', toolCallId: call.toolCallId, toolName: call.toolName, result, durationMs: elapsed(started), agent });
    return { call, output: { type: 'json', value: result }, failed: false };
  } catch (error) {
    options.signal.throwIfAborted();
    const publicError = error instanceof AppError ? { code: 'tool_failed', message: error.message } : toolErrorFor(error);
    emit({ type: 'tool.failed', toolCallId: call.toolCallId, toolName: call.toolName, error: publicError, durationMs: elapsed(started), agent });
    return { call, output: { type: 'error-text', value: publicError.message }, failed: true };
  }
}

function parseInput(tool: Tool, input: unknown): unknown {
  try {
    return tool.parse(input);
  } catch (error) {
    if (error instanceof ZodError) {
      const issues = error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
      throw new AppError('bad_request', { message: `Invalid input for ${tool.name}: ${issues}` });
    }
    if (error instanceof ToolInputError) throw new AppError('bad_request', { message: error.message });
    throw error;
  }
}

function toolErrorFor(error: unknown) {
  // Tool errors are ours to show when they are plain Errors from a tool we run (MCP servers report text).
  if (error instanceof Error && error.name !== 'TypeError' && error.name !== 'ReferenceError') return { code: 'tool_failed', message: error.message };
  const masked = toPublicError(error);
  return { code: 'tool_failed', message: masked.message };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}
