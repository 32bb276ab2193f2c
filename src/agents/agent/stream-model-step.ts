import type { LanguageModelV4, LanguageModelV4FunctionTool, LanguageModelV4Prompt, LanguageModelV4Usage } from '@ai-sdk/provider';
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { AgentRef, EmittedEvent, JsonValue, Usage } from '../../events/run-event.ts';
import { toUpstreamError } from '../../models/upstream-error.ts';
import type { RunJournal } from '../run-journal.ts';
import { TextAccumulator } from './text-accumulator.ts';

export type ModelToolCall = { toolCallId: string; toolName: string; input: unknown; inputText: string };

export type ModelStepResult = { text: string; reasoning: string; toolCalls: ModelToolCall[]; usage: Usage; finishReason: string };

// A zero-latency model (a cache, the bench model) hands over a whole step without ever leaving the
// microtask queue: nothing reaches the store or the wire, and no other run moves, until it ends.
// Yielding every so many parts bounds that (sse-ceiling.md); it costs ~1 µs per yield.
const PARTS_PER_YIELD = 128;
// ...and every step counts toward one budget per turn of the loop: past it, steps yield after each part, so
// however many runs stream at once, a turn stays short (~8k events, tens of ms) and new requests, commits
// and writes get their turn. Without it, 500 runs × 128 parts made turns of ~300 ms and a 5x p99 tail on a
// new run's first event (bench/README.md).
const PARTS_PER_TURN = 8192;
let partsThisTurn = 0;
let turnResetPending = false;
function resetTurn(): void {
  partsThisTurn = 0;
  turnResetPending = false;
}
function isTurnOverBudget(): boolean {
  if (!turnResetPending) {
    turnResetPending = true;
    setImmediate(resetTurn);
  }
  return ++partsThisTurn > PARTS_PER_TURN;
}

export type ModelStepOptions = {
  model: LanguageModelV4;
  prompt: LanguageModelV4Prompt;
  tools: LanguageModelV4FunctionTool[];
  agent: AgentRef;
  emit: (event: EmittedEvent) => void;
  signal: AbortSignal;
  /** Required tool choice: the orchestrator forces its decision tool. */
  toolChoice?: { type: 'auto' } | { type: 'required' } | { type: 'tool'; toolName: string };
  /** When false, text is collected but not streamed as `message.*` (an orchestrator's private notes). */
  streamText?: boolean;
  /** Numbers the step; a step an earlier attempt finished is answered from its checkpoint, not the model. */
  journal?: RunJournal;
  /** Ask for JSON matching this schema (the provider spec's `responseFormat`, structured output). */
  outputSchema?: Record<string, unknown>;
};

/**
 * One model call at the provider-spec level: `doStream` parts become run events as they arrive.
 * No `streamText` pipeline sits in between; each part costs one switch and at most one emit.
 */
export async function streamModelStep(options: ModelStepOptions): Promise<ModelStepResult> {
  const { agent, signal } = options;
  options.journal?.atBoundary();
  signal.throwIfAborted();
  const numbered = options.journal?.nextStep(agent.path);
  if (numbered?.recorded) {
    const { text, toolCalls, usage, finishReason } = numbered.recorded;
    return { text, reasoning: '', toolCalls: toolCalls.map((call) => ({ ...call, inputText: JSON.stringify(call.input) })), usage, finishReason };
  }
  const endWork = options.journal?.beginWork();
  try {
    return await callModel(options, numbered);
  } finally {
    endWork?.();
  }
}

async function callModel(options: ModelStepOptions, numbered: { step: number } | undefined): Promise<ModelStepResult> {
  const { agent, emit, signal } = options;
  const streamText = options.streamText ?? true;
  let result;
  try {
    result = await options.model.doStream({
      prompt: options.prompt,
      tools: options.tools.length > 0 ? options.tools : undefined,
      toolChoice: options.tools.length > 0 ? (options.toolChoice ?? { type: 'auto' }) : undefined,
      ...(options.outputSchema ? { responseFormat: { type: 'json' as const, schema: options.outputSchema as never } } : {}),
      abortSignal: signal,
    });
  } catch (error) {
    throw toUpstreamError(error, signal);
  }
  const reader = result.stream.getReader();
  // Created on first use: an open run holds these for its whole step, and most steps need one or neither.
  let texts: Map<string, { messageId: string; text: TextAccumulator }> | undefined;
  let reasoningIds: Map<string, string> | undefined;
  const toolCalls: ModelToolCall[] = [];
  // Held flat while the step runs (a long paced answer would otherwise hold every delta as its own string).
  const text = new TextAccumulator();
  const reasoning = new TextAccumulator();
  let usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  let finishReason = 'other';

  const textBlock = (id: string) => {
    texts ??= new Map();
    let block = texts.get(id);
    if (!block) {
      block = { messageId: `msg_${randomUUID()}`, text: new TextAccumulator() };
      texts.set(id, block);
    }
    return block;
  };
  const completeText = (id: string) => {
    const block = texts?.get(id);
    if (!block) return;
    texts!.delete(id);
    if (streamText && !block.text.isEmpty) emit({ type: 'message.completed', messageId: block.messageId, text: block.text.text(), agent });
  };

  try {
    // Let what was emitted before this step (run.started, a tool's result) go out before the burst.
    await yieldToLoop();
    let partsSinceYield = 0;
    for (;;) {
      const { value: part, done } = await reader.read();
      if (done) break;
      if (++partsSinceYield === PARTS_PER_YIELD || isTurnOverBudget()) {
        partsSinceYield = 0;
        await yieldToLoop();
      }
      switch (part.type) {
        case 'text-start':
          textBlock(part.id);
          break;
        case 'text-delta': {
          if (part.delta === '') break;
          const block = textBlock(part.id);
          block.text.append(part.delta);
          text.append(part.delta);
          if (streamText) emit({ type: 'message.delta', messageId: block.messageId, delta: part.delta, agent });
          break;
        }
        case 'text-end':
          completeText(part.id);
          break;
        case 'reasoning-start':
          (reasoningIds ??= new Map()).set(part.id, `rsn_${randomUUID()}`);
          break;
        case 'reasoning-delta': {
          if (part.delta === '') break;
          reasoningIds ??= new Map();
          let reasoningId = reasoningIds.get(part.id);
          if (!reasoningId) {
            reasoningId = `rsn_${randomUUID()}`;
            reasoningIds.set(part.id, reasoningId);
          }
          reasoning.append(part.delta);
          emit({ type: 'reasoning.delta', reasoningId, delta: part.delta, agent });
          break;
        }
        case 'tool-call':
          if (!part.providerExecuted) toolCalls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: parseToolInput(part.input), inputText: part.input });
          break;
        case 'finish':
          usage = fromModelUsage(part.usage);
          finishReason = part.finishReason.unified;
          break;
        case 'error':
          throw toUpstreamError(part.error, signal);
        default:
          // stream-start, response-metadata, tool-input-*, reasoning-end, sources, files, raw, ping:
          // nothing a run event carries (tool input is announced whole by `tool.started`).
          break;
      }
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw toUpstreamError(error, signal);
  }
  if (texts) for (const id of [...texts.keys()]) completeText(id);
  if (numbered) {
    // The checkpoint a later attempt replays this step from, stored with the step's own events.
    emit({ type: 'step.completed', step: numbered.step, text: text.text(), toolCalls: toolCalls.map(({ toolCallId, toolName, input }) => ({ toolCallId, toolName, input: (input ?? null) as JsonValue })), usage, finishReason, agent });
  }
  return { text: text.text(), reasoning: reasoning.text(), toolCalls, usage, finishReason };
}

function parseToolInput(input: string): unknown {
  if (input.trim() === '') return {};
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

/** The provider spec reports nested, possibly missing counts; runs report flat whole numbers. */
export function fromModelUsage(usage: LanguageModelV4Usage): Usage {
  const inputTokens = usage.inputTokens.total ?? 0;
  const outputTokens = usage.outputTokens.total ?? 0;
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (usage.outputTokens.reasoning !== undefined) result.reasoningTokens = usage.outputTokens.reasoning;
  return result;
}
