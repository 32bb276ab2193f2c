import type { JSONObject, LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import { DEMO_LABEL } from './compose-answer.ts';
import type { DemoDecision } from './demo-decision.ts';
import type { PromptView } from './read-prompt.ts';
import { sampleInput } from './sample-input.ts';

const FIXED_INPUTS: Record<string, JSONObject> = {
  calculator: { expression: '2+2' },
  clock: { timeZone: 'UTC' },
  sales_data: { metric: 'revenue', groupBy: ['region'] },
  knowledge_search: { query: 'streaming' },
};
const FILLER = ['The', 'demo', 'benchmark', 'streams', 'one', 'word', 'per', 'delta', 'so', 'servers', 'can', 'be', 'compared.'];
const LABEL_DELTAS = 8;

/**
 * The benchmark variant: with no tool result yet and a tool offered, call the first offered tool
 * with a fixed valid input; otherwise answer with exactly `textDeltas` one-word deltas, ending with
 * the demo label when there is room. No reasoning either way.
 */
export function decideBenchStep(view: PromptView, tools: readonly LanguageModelV4FunctionTool[], textDeltas: number): DemoDecision {
  const tool = tools[0];
  if (view.toolResults.length === 0 && tool) {
    return { kind: 'tool-calls', thinking: '', calls: [{ toolName: tool.name, input: FIXED_INPUTS[tool.name] ?? sampleInput(tool.inputSchema, 'demo') }] };
  }
  const withLabel = textDeltas > LABEL_DELTAS;
  const fillerCount = withLabel ? textDeltas - LABEL_DELTAS : textDeltas;
  const words = Array.from({ length: fillerCount }, (_, index) => FILLER[index % FILLER.length]);
  const text = withLabel ? `${words.join(' ')}\n\n${DEMO_LABEL}` : words.join(' ');
  return { kind: 'answer', thinking: '', text };
}
