import type { LanguageModelV4Content, LanguageModelV4GenerateResult, LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import type { DemoDecision } from './demo-decision.ts';
import { hashText } from './hash-text.ts';
import { tokenize } from './tokenize.ts';

/** What identifies one step's output besides the decision itself. */
export type StepMeta = { step: number; promptHash: string; promptChars: number; modelId: string; timestamp: Date };

/**
 * The full, ordered part sequence of one step: `stream-start`, `response-metadata`, the reasoning
 * block, then either tool calls or one text block, then `finish` with usage. Ids are derived from
 * the step and the prompt, so the same prompt always gives the same parts (timestamp aside).
 */
export function buildStreamParts(decision: DemoDecision, meta: StepMeta): LanguageModelV4StreamPart[] {
  const suffix = `${meta.step}-${meta.promptHash.slice(0, 8)}`;
  const parts: LanguageModelV4StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: `demo-resp-${suffix}`, modelId: meta.modelId, timestamp: meta.timestamp },
  ];
  const reasoning = tokenize(decision.thinking);
  if (reasoning.length > 0) {
    const id = `demo-reasoning-${suffix}`;
    parts.push({ type: 'reasoning-start', id }, ...reasoning.map((delta) => ({ type: 'reasoning-delta' as const, id, delta })), { type: 'reasoning-end', id });
  }
  if (decision.kind === 'tool-calls') {
    decision.calls.forEach((call, index) => {
      const input = JSON.stringify(call.input);
      const id = `call_${hashText(`${meta.step}:${call.toolName}:${index}:${input}:${meta.promptHash}`)}`;
      parts.push({ type: 'tool-input-start', id, toolName: call.toolName });
      for (const delta of splitInput(input)) parts.push({ type: 'tool-input-delta', id, delta });
      parts.push({ type: 'tool-input-end', id }, { type: 'tool-call', toolCallId: id, toolName: call.toolName, input });
    });
  } else {
    const id = `demo-text-${suffix}`;
    parts.push({ type: 'text-start', id }, ...tokenize(decision.text).map((delta) => ({ type: 'text-delta' as const, id, delta })), { type: 'text-end', id });
  }
  const finishReason = decision.kind === 'tool-calls' ? { unified: 'tool-calls' as const, raw: 'tool_calls' } : { unified: 'stop' as const, raw: 'stop' };
  parts.push({ type: 'finish', finishReason, usage: usageOf(parts, meta.promptChars), providerMetadata: { demo: { simulated: true } } });
  return parts;
}

/** True for the parts that carry generated tokens; the stream waits between these. */
export function isDeltaPart(part: LanguageModelV4StreamPart): boolean {
  return part.type === 'text-delta' || part.type === 'reasoning-delta' || part.type === 'tool-input-delta';
}

/** The non-streaming result of a step, drained from the same parts the stream would carry. */
export function toGenerateResult(parts: readonly LanguageModelV4StreamPart[]): LanguageModelV4GenerateResult {
  const content: LanguageModelV4Content[] = [];
  const result: Omit<LanguageModelV4GenerateResult, 'content'> = {
    finishReason: { unified: 'other', raw: undefined },
    usage: usageOf([], 0),
    warnings: [],
  };
  for (const part of parts) {
    switch (part.type) {
      case 'reasoning-start': content.push({ type: 'reasoning', text: '' }); break;
      case 'text-start': content.push({ type: 'text', text: '' }); break;
      case 'reasoning-delta':
      case 'text-delta': {
        const last = content[content.length - 1];
        if (last?.type === 'reasoning' || last?.type === 'text') last.text += part.delta;
        break;
      }
      case 'tool-call': content.push(part); break;
      case 'response-metadata': result.response = { id: part.id, modelId: part.modelId, timestamp: part.timestamp }; break;
      case 'finish': Object.assign(result, { finishReason: part.finishReason, usage: part.usage, providerMetadata: part.providerMetadata }); break;
      default: break; // stream framing (start, ends, tool-input deltas) has no place in content
    }
  }
  return { content, ...result };
}

/** A tool's JSON input in one to three pieces, the way providers stream function arguments. */
function splitInput(input: string): string[] {
  const count = input.length <= 16 ? 1 : input.length <= 48 ? 2 : 3;
  const size = Math.ceil(input.length / count);
  return Array.from({ length: count }, (_, index) => input.slice(index * size, (index + 1) * size)).filter((piece) => piece !== '');
}

function usageOf(parts: readonly LanguageModelV4StreamPart[], promptChars: number): LanguageModelV4Usage {
  let output = 0;
  let reasoning = 0;
  for (const part of parts) {
    if (isDeltaPart(part)) output++;
    if (part.type === 'reasoning-delta') reasoning++;
  }
  const input = Math.ceil(promptChars / 4);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output - reasoning, reasoning },
  };
}
