import type { LanguageModelV4Content, LanguageModelV4GenerateResult, LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import type { DemoDecision } from './demo-decision.ts';
import { hashText } from './hash-text.ts';
import { tokenize } from './tokenize.ts';

/** What identifies one step's output besides the decision itself. */
export type StepMeta = { step: number; promptHash: string; promptChars: number; modelId: string; timestamp: Date };

/** What `createPacedStream` reads: a step's parts by index. */
export type PartList = { readonly length: number; at(index: number): LanguageModelV4StreamPart };

type DeltaType = 'text-delta' | 'reasoning-delta' | 'tool-input-delta';
/** A run of deltas as one string and where each delta ends in it: an array of short strings cost ~30 bytes a delta. */
type DeltaRun = { deltaRun: DeltaType; id: string; text: string; ends: Uint32Array };
type Segment = LanguageModelV4StreamPart | DeltaRun;

function deltaRun(type: DeltaType, id: string, deltas: readonly string[]): DeltaRun {
  const ends = new Uint32Array(deltas.length);
  let end = 0;
  deltas.forEach((delta, index) => (ends[index] = end += delta.length));
  return { deltaRun: type, id, text: deltas.join(''), ends };
}

/**
 * A step's parts, with each run of deltas held as one string (cut at read) and its part object made only when
 * read: a paused or paced run holds its unsent deltas for its whole life, and a part object (or a string) per
 * delta would be memory per open stream for nothing.
 */
export class StepParts implements PartList {
  readonly #segments: Segment[];
  readonly length: number;

  constructor(segments: Segment[]) {
    this.#segments = segments;
    let length = 0;
    for (const segment of segments) length += 'deltaRun' in segment ? segment.ends.length : 1;
    this.length = length;
  }

  at(index: number): LanguageModelV4StreamPart {
    let offset = index;
    for (const segment of this.#segments) {
      if (!('deltaRun' in segment)) {
        if (offset === 0) return segment;
        offset -= 1;
      } else if (offset < segment.ends.length) {
        return { type: segment.deltaRun, id: segment.id, delta: segment.text.slice(offset === 0 ? 0 : segment.ends[offset - 1], segment.ends[offset]) };
      } else {
        offset -= segment.ends.length;
      }
    }
    throw new RangeError(`part ${index} of ${this.length}`);
  }

  toArray(): LanguageModelV4StreamPart[] {
    return Array.from({ length: this.length }, (_, index) => this.at(index));
  }
}

/**
 * The full, ordered part sequence of one step: `stream-start`, `response-metadata`, the reasoning
 * block, then either tool calls or one text block, then `finish` with usage. Ids are derived from
 * the step and the prompt, so the same prompt always gives the same parts (timestamp aside).
 */
export function buildStreamParts(decision: DemoDecision, meta: StepMeta): StepParts {
  const suffix = `${meta.step}-${meta.promptHash.slice(0, 8)}`;
  const segments: Segment[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: `demo-resp-${suffix}`, modelId: meta.modelId, timestamp: meta.timestamp },
  ];
  let outputTokens = 0;
  const reasoning = tokenize(decision.thinking);
  if (reasoning.length > 0) {
    const id = `demo-reasoning-${suffix}`;
    segments.push({ type: 'reasoning-start', id }, deltaRun('reasoning-delta', id, reasoning), { type: 'reasoning-end', id });
    outputTokens += reasoning.length;
  }
  if (decision.kind === 'tool-calls') {
    decision.calls.forEach((call, index) => {
      const input = JSON.stringify(call.input);
      const id = `call_${hashText(`${meta.step}:${call.toolName}:${index}:${input}:${meta.promptHash}`)}`;
      const pieces = splitInput(input);
      segments.push({ type: 'tool-input-start', id, toolName: call.toolName }, deltaRun('tool-input-delta', id, pieces));
      segments.push({ type: 'tool-input-end', id }, { type: 'tool-call', toolCallId: id, toolName: call.toolName, input });
      outputTokens += pieces.length;
    });
  } else {
    const id = `demo-text-${suffix}`;
    const text = tokenize(decision.text);
    segments.push({ type: 'text-start', id }, deltaRun('text-delta', id, text), { type: 'text-end', id });
    outputTokens += text.length;
  }
  const finishReason = decision.kind === 'tool-calls' ? { unified: 'tool-calls' as const, raw: 'tool_calls' } : { unified: 'stop' as const, raw: 'stop' };
  segments.push({ type: 'finish', finishReason, usage: usageOf(outputTokens, reasoning.length, meta.promptChars), providerMetadata: { demo: { simulated: true } } });
  return new StepParts(segments);
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
    usage: usageOf(0, 0, 0),
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

function usageOf(outputTokens: number, reasoningTokens: number, promptChars: number): LanguageModelV4Usage {
  const input = Math.ceil(promptChars / 4);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens - reasoningTokens, reasoning: reasoningTokens },
  };
}
