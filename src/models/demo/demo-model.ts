import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import { decideBenchStep } from './bench-rules.ts';
import { fillSchema } from './fill-schema.ts';
import { decideStep } from './intent-rules.ts';
import { createPacedStream } from './paced-stream.ts';
import { readPrompt } from './read-prompt.ts';
import { buildStreamParts, isDeltaPart, toGenerateResult } from './stream-parts.ts';

export type DemoModelOptions = {
  /** Milliseconds between streamed deltas (text, reasoning, tool input). 0 streams everything at once. */
  tokenDelayMs: number;
  /** Defaults to `demo`. `demo:bench` (or `bench`) selects the benchmark variant with 500 text deltas. */
  modelId?: string;
  /** Selects the benchmark variant with exactly this many text deltas in the answer step. */
  benchTextDeltas?: number;
};

const BENCH_MODEL_IDS = new Set(['demo:bench', 'bench']);
const DEFAULT_BENCH_DELTAS = 500;

/**
 * The built-in `demo` model: a deterministic, clearly labelled SIMULATED language model behind the
 * provider-spec `LanguageModelV4` interface. It "thinks", picks tools by fixed intent rules
 * (see `decideStep`) and streams word-sized deltas `tokenDelayMs` apart. One call is one step.
 */
export function createDemoModel(options: DemoModelOptions): LanguageModelV4 {
  const modelId = options.modelId ?? 'demo';
  const benchDeltas = options.benchTextDeltas ?? (BENCH_MODEL_IDS.has(modelId) ? DEFAULT_BENCH_DELTAS : undefined);

  const planParts = (call: LanguageModelV4CallOptions) => {
    // A real provider's fetch rejects at once on an aborted signal; so does this.
    call.abortSignal?.throwIfAborted();
    const view = readPrompt(call.prompt);
    const tools = (call.tools ?? []).filter((tool): tool is LanguageModelV4FunctionTool => tool.type === 'function');
    let decision = benchDeltas === undefined ? decideStep(view, tools, call.toolChoice) : decideBenchStep(view, tools, benchDeltas);
    // Images came with the message: say so plainly; a simulated model cannot look at them.
    if (decision.kind === 'answer' && view.imageCount > 0) {
      const images = view.imageCount === 1 ? '1 image' : `${view.imageCount} images`;
      decision = { ...decision, text: `I see ${images} with your message, but as a simulated model I cannot look at ${view.imageCount === 1 ? 'it' : 'them'}. ${decision.text}` };
    }
    // Structured output asked for (`responseFormat` json): the answer, poured into the schema, as JSON text.
    if (decision.kind === 'answer' && call.responseFormat?.type === 'json') {
      decision = { ...decision, text: JSON.stringify(call.responseFormat.schema ? fillSchema(call.responseFormat.schema, decision.text) : { answer: decision.text }) };
    }
    return buildStreamParts(decision, { step: view.step, promptHash: view.promptHash, promptChars: view.promptChars, modelId, timestamp: new Date() });
  };

  return {
    specificationVersion: 'v4',
    provider: 'demo',
    modelId,
    supportedUrls: {},
    async doGenerate(call) {
      return toGenerateResult(planParts(call).toArray());
    },
    async doStream(call) {
      const parts = planParts(call);
      return { stream: createPacedStream(parts, { tokenDelayMs: options.tokenDelayMs, isDelta: isDeltaPart, signal: call.abortSignal }) };
    },
  };
}
