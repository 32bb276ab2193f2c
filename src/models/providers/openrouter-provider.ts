import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import type { ModelProvider } from '../model-registry.ts';
import type { ResolvedProviderSettings } from '../provider-settings.ts';
import type { WrapModel } from './wrap-model.ts';

/**
 * OpenRouter: `openrouter:<vendor>/<model>`, Chat Completions with OpenRouter's extensions (reasoning
 * deltas, usage in the last chunk). https://openrouter.ai/docs/api-reference/streaming
 */
export function createOpenRouterProvider(settings: ResolvedProviderSettings['openrouter'], wrap: WrapModel): ModelProvider {
  const isConfigured = settings.apiKey !== undefined;
  // `strict` is OpenRouter's own API (it asks for usage in the stream); `compatible` is for third parties.
  const openrouter = isConfigured ? createOpenRouter({ apiKey: settings.apiKey, baseURL: settings.baseURL, compatibility: 'strict' }) : undefined;
  return {
    name: 'openrouter',
    label: 'OpenRouter',
    isConfigured,
    listedModels: settings.models,
    acceptsImages: true,
    createModel: (modelId) => wrap(openrouter!.chat(modelId), { label: 'OpenRouter', maxRetries: settings.maxRetries }),
  };
}
