import { decideBenchStep } from '../../src/models/demo/bench-rules.ts';
import type { PromptView } from '../../src/models/demo/read-prompt.ts';
import { buildStreamParts } from '../../src/models/demo/stream-parts.ts';

export { isDeltaPart } from '../../src/models/demo/stream-parts.ts';

/** One provider-spec stream part (typed from agentstream's own imports: bench/node_modules may hold another @ai-sdk/provider). */
export type BenchStreamPart = ReturnType<ReturnType<typeof buildStreamParts>['at']>;
type FunctionTool = Parameters<typeof decideBenchStep>[1][number];

const CALCULATOR: FunctionTool = { type: 'function', name: 'calculator', inputSchema: { type: 'object' } };

/**
 * The provider-level parts of one step of the bench model, built by agentstream's own `demo:bench`
 * rules so the peers' mock model streams exactly what agentstream's demo model streams:
 * `tool` = one calculator call `{"expression":"2+2"}`; `answer` = `textDeltas` one-word text deltas.
 */
export function benchStepParts(step: 'tool' | 'answer', textDeltas: number): BenchStreamPart[] {
  const view = { toolResults: [] } as unknown as PromptView;
  const decision = decideBenchStep(view, step === 'tool' ? [CALCULATOR] : [], textDeltas);
  return buildStreamParts(decision, { step: step === 'tool' ? 1 : 2, promptHash: '5eed5eed5eed5eed', promptChars: 240, modelId: 'bench', timestamp: new Date() }).toArray();
}
