import { MockLanguageModelV4, simulateReadableStream } from 'ai/test';
import { createPacedStream } from '../../src/models/demo/paced-stream.ts';
import { benchStepParts, isDeltaPart, type BenchStreamPart } from '../lib/bench-parts.ts';
import type { ModelProfile } from '../lib/model-profile.ts';

type StepParts = { tool: BenchStreamPart[]; answer: BenchStreamPart[] };
const partsByProfile = new Map<string, StepParts>();

function partsOf(profile: ModelProfile): StepParts {
  let parts = partsByProfile.get(profile.name);
  if (!parts) {
    parts = { tool: benchStepParts('tool', profile.textDeltas), answer: benchStepParts('answer', profile.textDeltas) };
    partsByProfile.set(profile.name, parts);
  }
  return parts;
}

/**
 * The peers' model: the AI SDK's own `MockLanguageModelV4` streaming the parts agentstream's `demo:bench`
 * streams (a calculator call when tools are offered and no tool result is in the prompt yet, else the
 * answer). Zero latency goes through `simulateReadableStream` with no delays (null, not 0: 0 would still
 * set a timer per part); paced profiles use the same pacing code as agentstream's demo model.
 * One mock per request: the mock records every call, so a shared one would grow without bound.
 */
export function createMockModel(profile: ModelProfile): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'bench',
    modelId: 'bench',
    doStream: async (options) => {
      const steps = partsOf(profile);
      const hasToolResult = options.prompt.some((message) => message.role === 'tool');
      const parts = profile.toolStep && !hasToolResult && (options.tools?.length ?? 0) > 0 ? steps.tool : steps.answer;
      const stream = profile.delayMs > 0
        ? createPacedStream(parts, { tokenDelayMs: profile.delayMs, isDelta: isDeltaPart, signal: options.abortSignal })
        : simulateReadableStream({ chunks: parts, initialDelayInMs: null, chunkDelayInMs: null });
      return { stream };
    },
  });
}
