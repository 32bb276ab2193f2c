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
  /** True for the tools whose calls wait for a person's approval in this run (the agent's config, the run's request, the tool's own). */
  requiresApproval?: (toolName: string) => boolean;
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
  const needsPerson = tool !== undefined && (tool.asksPerson === true || tool.requireApproval === true || options.requiresApproval?.(call.toolName) === true);
  let input: unknown = call.input;
  if (needsPerson) {
    const asked = await askPerson(tool, call, options);
    if (asked.outcome) return asked.outcome;
    input = asked.input;
  }
  emit({ type: 'tool.started', toolCallId: call.toolCallId, toolName: call.toolName, args: toJson(input), agent });
  const started = performance.now();
  const endWork = options.journal?.beginWork();
  try {
    if (!tool) throw new AppError('bad_request', { message: `Unknown tool '${call.toolName}'.` });
    const result = await tool.execute(parseInput(tool, input), { signal: options.signal, runId: options.runId, agent });
    emit({ type: 'tool.completed', toolCallId: call.toolCallId, toolName: call.toolName, result, durationMs: elapsed(started), agent });
    return { call, output: { type: 'json', value: result }, failed: false };
  } catch (error) {
    options.signal.throwIfAborted();
    const publicError = toolErrorFor(error);
    emit({ type: 'tool.failed', toolCallId: call.toolCallId, toolName: call.toolName, error: publicError, durationMs: elapsed(started), agent });
    return { call, output: { type: 'error-text', value: publicError.message }, failed: true };
  } finally {
    endWork?.();
  }
}

/**
 * A call that waits for a person. Without their input yet, the call is pending and the run pauses (this never
 * returns). With it (a resumed run): a question's answer or a rejection is the call's outcome; an approval gives
 * the arguments to run it with (the edited ones, for an edit). Arguments the tool refuses fail the call at once,
 * before anyone is asked.
 */
async function askPerson(
  tool: Tool,
  call: ModelToolCall,
  options: { agent: AgentRef; emit: (event: EmittedEvent) => void; signal: AbortSignal; journal?: RunJournal },
): Promise<{ outcome?: ToolCallOutcome; input?: unknown }> {
  const { agent, emit, journal } = options;
  const fail = (error: PublicError, args: unknown): { outcome: ToolCallOutcome } => {
    emit({ type: 'tool.started', toolCallId: call.toolCallId, toolName: call.toolName, args: toJson(args), agent });
    emit({ type: 'tool.failed', toolCallId: call.toolCallId, toolName: call.toolName, error, durationMs: 0, agent });
    return { outcome: { call, output: { type: 'error-text', value: error.message }, failed: true } };
  };
  let parsed: unknown;
  try {
    parsed = parseInput(tool, call.input);
  } catch (error) {
    return fail(toolErrorFor(error), call.input);
  }
  if (!journal) return fail({ code: 'tool_failed', message: `The call to ${tool.name} needs a person, and this run cannot pause.` }, call.input);
  const resolution = journal.resolution(agent.path, call.toolCallId);
  if (!resolution) {
    const question = tool.asksPerson ? (parsed as { question?: string }).question : undefined;
    return journal.awaitInput({
      toolCallId: call.toolCallId, toolName: call.toolName, args: toJson(call.input), kind: tool.asksPerson ? 'question' : 'approval',
      ...(question === undefined ? {} : { question }), agent,
    }, options.signal);
  }
  if (resolution.kind === 'answer') {
    const result = { answer: resolution.text };
    emit({ type: 'tool.started', toolCallId: call.toolCallId, toolName: call.toolName, args: toJson(call.input), agent });
    emit({ type: 'tool.completed', toolCallId: call.toolCallId, toolName: call.toolName, result, durationMs: 0, agent });
    return { outcome: { call, output: { type: 'json', value: result }, failed: false } };
  }
  if (resolution.decision === 'reject') {
    return fail({ code: 'tool_rejected', message: `The user rejected this call${resolution.reason ? `: ${resolution.reason}` : '.'}` }, call.input);
  }
  return { input: resolution.decision === 'edit' ? resolution.args : call.input };
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
