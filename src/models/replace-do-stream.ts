import type { LanguageModelV4 } from '@ai-sdk/provider';

/**
 * The same model with another `doStream`: identity, URLs and `doGenerate` pass through. Every model
 * wrapper (retries, stall guard, error naming, test probes) changes only how a stream is made.
 */
export function replaceDoStream(model: LanguageModelV4, doStream: LanguageModelV4['doStream']): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: model.provider,
    modelId: model.modelId,
    supportedUrls: model.supportedUrls,
    doGenerate: (callOptions) => model.doGenerate(callOptions),
    doStream,
  };
}
