import type { LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import { ZodError } from 'zod';
import { AppError } from '../../errors/app-error.ts';
import { toPublicError } from '../../errors/public-error.ts';
import type { AgentRef, EmittedEvent, JsonValue, PublicError } from '../../events/run-event.ts';
import { ToolInputError, type Tool } from '../../tools/define-tool.ts';
import type { ModelToolCall } from './stream-model-step.ts';
import { NotResumableError, type RunJournal } from '../run-journal.ts';

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
  journal?: RunJournal;
}): Promise<ToolCallOutcome> {
  const { call, agent, emit } = options;
  const tool = options.tools.get(call.toolName);
  const recorded = options.journal?.toolOutcome(agent.path, call.toolCallId);
  // An earlier attempt finished this call: its result stands (a pure tool runs again to rebuild the run's memory).
  if (recorded && !tool?.pure) {
    return { call, output: recorded.ok ? { type: 'json', value: recorded.result } : { type: 'error-text', value: recorded.message }, failed: !recorded.ok };
  }
  if (tool?.retry === false && options.journal?.wasToolCut(agent.path, call.toolCallId)) {
    options.journal.abortRun(new NotResumableError(`Tool '${call.toolName}' is marked retry: false and its call ${call.toolCallId} was cut off before it finished.`));
  }
  options.journal?.atBoundary();
  options.signal.throwIfAborted();
  emit({ type: 'tool.started', toolCallId: call.toolCallId, toolName: call.toolName, args: toJson(call.input), agent });
  const started = performance.now();
  try {
    if (!tool) throw new AppError('bad_request', { message: `Unknown tool '${call.toolName}'.` });
    const input = parseInput(tool, call.input);
    const result = await tool.execute(input, { signal: options.signal, runId: options.runId, agent });
    emit({ type: 'tool.completed', toolCallId: call.toolCallId, toolName: call.toolName, result, durationMs: elapsed(started), agent });
    return { call, output: { type: 'json', value: result }, failed: false };
  } catch (error) {
    options.signal.throwIfAborted();
    const publicError = toolErrorFor(error);
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

/**
 * What the client (and the model) sees of a tool's failure: the message of an error raised on purpose (an
 * `AppError`: bad arguments, an MCP server's report); anything unexpected is masked, as a run's failure is.
 */
function toolErrorFor(error: unknown): PublicError {
  const shown = toPublicError(error);
  return { code: 'tool_failed', message: shown.code === 'internal' ? 'The tool failed.' : shown.message };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}
