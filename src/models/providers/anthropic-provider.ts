import { createAnthropic } from '@ai-sdk/anthropic';
import type { ModelProvider } from '../model-registry.ts';
import type { ResolvedProviderSettings } from '../provider-settings.ts';
import type { WrapModel } from './wrap-model.ts';

/**
 * Anthropic Messages API: `anthropic:<model>`. Extended thinking, when a budget is configured, streams as
 * `reasoning.delta`. Wire format: https://docs.anthropic.com/en/api/messages-streaming
 */
export function createAnthropicProvider(settings: ResolvedProviderSettings['anthropic'], wrap: WrapModel): ModelProvider {
  const isConfigured = settings.apiKey !== undefined;
  const anthropic = isConfigured ? createAnthropic({ apiKey: settings.apiKey, baseURL: settings.baseURL }) : undefined;
  const thinking = settings.thinkingBudgetTokens ? { anthropic: { thinking: { type: 'enabled', budgetTokens: settings.thinkingBudgetTokens } } } : undefined;
  return {
    name: 'anthropic',
    label: 'Anthropic',
    isConfigured,
    listedModels: settings.models,
    acceptsImages: true,
    createModel: (modelId) => wrap(anthropic!.messages(modelId), { label: 'Anthropic', maxRetries: settings.maxRetries, defaultProviderOptions: thinking }),
  };
}
