import type { LanguageModelV4, LanguageModelV4Prompt } from '@ai-sdk/provider';
import { addUsage, ZERO_USAGE, type AgentRef, type EmittedEvent, type JsonValue, type Usage } from '../../events/run-event.ts';
import type { Tool } from '../../tools/define-tool.ts';
import { buildPrompt, toModelTools } from './build-prompt.ts';
import { appendClientToolResults, toClientModelTools, type ClientTool, type ClientToolResult } from './client-tool.ts';
import type { AgentDefinition, ChatMessage } from './agent-definition.ts';
import { approvalRule } from './approval-rule.ts';
import { executeToolCall } from './execute-tool-call.ts';
import { attachImages, type ImageInput } from './image-input.ts';
import { streamModelStep } from './stream-model-step.ts';
import { NotResumableError, type RunJournal } from '../run-journal.ts';
import { checkStructuredOutput, type OutputSchema } from './structured-output.ts';

export type RunAgentOptions = {
  definition: AgentDefinition;
  agent: AgentRef;
  model: LanguageModelV4;
  modelName: string;
  tools: readonly Tool[];
  history: readonly ChatMessage[];
  input: string;
  /** Extra instructions a team adds for this member (its sub-task context). */
  extraInstructions?: string;
  emit: (event: EmittedEvent) => void;
  signal: AbortSignal;
  runId: string;
  /** Estimates the cost of a step's usage, when a price table is configured. */
  priceUsage?: (model: string, usage: Usage) => Usage;
  /** What earlier attempts of the run did: recorded steps and tool results are replayed, not redone. */
  journal?: RunJournal;
  /** Tools the client runs itself (see `ClientTool`), and the results of the ones it ran for this turn. */
  clientTools?: readonly ClientTool[];
  clientToolResults?: readonly ClientToolResult[];
  /** The final answer must be JSON valid against this schema: asked of the model, checked on the server. */
  outputSchema?: OutputSchema;
  /** Images sent with the input, given to the model with the user's message. */
  images?: readonly ImageInput[];
  /** Tool names whose calls wait for a person's approval in this run, on top of the agent's own `requireApproval`. */
  requireApproval?: readonly string[];
};

export type AgentResult = { output: string; usage: Usage };

const DEFAULT_MAX_STEPS = 8;
const EMPTY_TOOLS: ReadonlyMap<string, Tool> = new Map();

/**
 * The agent loop: call the model, run the tools it asked for (in parallel), feed the results back,
 * until it answers without tools or runs out of steps. Brackets its work in `agent.started` / `agent.completed`.
 */
export async function runAgent(options: RunAgentOptions): Promise<AgentResult> {
  const { agent, emit, signal } = options;
  const instructions = options.extraInstructions ? `${options.definition.instructions}\n\n${options.extraInstructions}` : options.definition.instructions;
  const prompt: LanguageModelV4Prompt = buildPrompt(instructions, options.history, options.input);
  attachImages(prompt, options.images ?? []);
  appendClientToolResults(prompt, options.clientToolResults ?? []);
  // Only when there are tools: an open run holds this for its whole life.
  const toolMap = options.tools.length > 0 ? new Map(options.tools.map((tool) => [tool.name, tool])) : EMPTY_TOOLS;
  const clientTools = options.clientTools?.length ? toClientModelTools(options.clientTools, new Set(toolMap.keys())) : [];
  const modelTools = [...toModelTools(options.tools), ...clientTools];
  const maxSteps = options.definition.maxSteps ?? DEFAULT_MAX_STEPS;
  let usage: Usage = ZERO_USAGE;
  let output = '';
  let pendingClientCall = false;
  const requiresApproval = approvalRule(options.definition.requireApproval, options.requireApproval);

  if (options.definition.retry === false && options.journal?.wasAgentCut(agent.path)) {
    options.journal.abortRun(new NotResumableError(`Agent '${options.definition.id}' is marked retry: false and was cut off mid-run.`));
    signal.throwIfAborted();
  }
  emit({ type: 'agent.started', task: options.input, model: options.modelName, agent });
  for (let step = 1; step <= maxSteps; step += 1) {
    // The last step offers no tools, so the model must answer with what it has.
    const offerTools = step < maxSteps ? modelTools : [];
    const result = await streamModelStep({ model: options.model, prompt, tools: offerTools, agent, emit, signal, journal: options.journal, outputSchema: options.outputSchema });
    const stepUsage = options.priceUsage ? options.priceUsage(options.modelName, result.usage) : result.usage;
    usage = addUsage(usage, stepUsage);
    emit({ type: 'usage', usage: stepUsage, step, agent });
    if (result.text !== '') output = result.text;
    if (result.toolCalls.length === 0) break;
    if (endsWithClientCalls(result.toolCalls, clientTools, { agent, emit })) {
      pendingClientCall = true;
      break;
    }

    prompt.push({
      role: 'assistant',
      content: [
        ...(result.text ? [{ type: 'text' as const, text: result.text }] : []),
        ...result.toolCalls.map((call) => ({ type: 'tool-call' as const, toolCallId: call.toolCallId, toolName: call.toolName, input: call.input })),
      ],
    });
    const outcomes = await Promise.all(result.toolCalls.map((call) => executeToolCall({ call, tools: toolMap, agent, emit, signal, runId: options.runId, journal: options.journal, requiresApproval })));
    prompt.push({
      role: 'tool',
      content: outcomes.map((outcome) => ({ type: 'tool-result' as const, toolCallId: outcome.call.toolCallId, toolName: outcome.call.toolName, output: outcome.output })),
    });
  }
  // A turn that ends on a client tool call has no final answer yet; the schema applies to the answer that ends it.
  if (options.outputSchema && !pendingClientCall) checkStructuredOutput(output, options.outputSchema);
  emit({ type: 'agent.completed', output, usage, agent });
  return { output, usage };
}

/**
 * A step that calls a client tool ends the turn: the calls are announced as pending (`clientSide: true`) for
 * the client to run, and nothing runs here. Server tools asked for in that same step are not run either; the
 * model asks again, with the client's results in hand, on the next turn.
 */
function endsWithClientCalls(
  calls: readonly { toolCallId: string; toolName: string; input: unknown }[],
  clientTools: readonly { name: string }[],
  context: { agent: AgentRef; emit: (event: EmittedEvent) => void },
): boolean {
  if (clientTools.length === 0) return false;
  const pending = calls.filter((call) => clientTools.some((tool) => tool.name === call.toolName));
  for (const call of pending) {
    context.emit({ type: 'tool.started', toolCallId: call.toolCallId, toolName: call.toolName, args: (call.input ?? {}) as JsonValue, clientSide: true, agent: context.agent });
  }
  return pending.length > 0;
}
