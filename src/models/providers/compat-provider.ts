import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { ModelProvider } from '../model-registry.ts';
import type { ProviderSettings } from '../provider-settings.ts';
import type { WrapModel } from './wrap-model.ts';

/**
 * Any server that speaks OpenAI Chat Completions (Ollama, vLLM, LM Studio): `compat:<name>/<model>`, with
 * the base URL from config. The key is optional; local servers usually need none.
 */
export function createCompatProvider(name: string, settings: ProviderSettings & { baseURL: string }, wrap: WrapModel): ModelProvider {
  const label = `compat:${name}`;
  const compat = createOpenAICompatible({ name: label, baseURL: settings.baseURL, apiKey: settings.apiKey, includeUsage: true });
  return {
    name: label,
    label,
    isConfigured: true,
    listedModels: settings.models,
    createModel: (modelId) => wrap(compat.chatModel(modelId), { label, maxRetries: settings.maxRetries }),
  };
}
