import type { Logger } from '../logging/logger.ts';
import { describeRetry, guardModel, type FaultPolicy } from './guard-model.ts';
import type { ModelProvider } from './model-registry.ts';
import { resolveProviderSettings, secretsOf, type ProvidersConfig } from './provider-settings.ts';
import { createAnthropicProvider } from './providers/anthropic-provider.ts';
import { createCompatProvider } from './providers/compat-provider.ts';
import { createOpenAIProviders } from './providers/openai-provider.ts';
import { createOpenRouterProvider } from './providers/openrouter-provider.ts';
import type { WrapModel } from './providers/wrap-model.ts';

export type CreateProvidersOptions = {
  env: Record<string, string | undefined>;
  /** The config file's `providers` section. */
  config?: ProvidersConfig;
  faults: FaultPolicy;
  log: Logger;
};

/**
 * The real providers, in default-model order: OpenAI, Anthropic, OpenRouter, then each `compat` server.
 * Unconfigured ones are still returned (so `openai:x` without a key says why it is unavailable).
 * Every model they build is wrapped by `guardModel`: retries, stall guard, safe errors.
 */
export function createProviders(options: CreateProvidersOptions): ModelProvider[] {
  const settings = resolveProviderSettings(options.env, options.config);
  const secrets = secretsOf(settings);
  const wrap: WrapModel = (model, wrapOptions) => guardModel(model, {
    ...options.faults,
    maxRetries: wrapOptions.maxRetries ?? options.faults.maxRetries,
    label: wrapOptions.label,
    secrets,
    defaultProviderOptions: wrapOptions.defaultProviderOptions,
    onRetry: (info) => options.log('warn', 'model call failed before its first token; retrying', describeRetry(wrapOptions.label, secrets, info)),
  });
  return [
    ...createOpenAIProviders(settings.openai, wrap),
    createAnthropicProvider(settings.anthropic, wrap),
    createOpenRouterProvider(settings.openrouter, wrap),
    ...Object.entries(settings.compat).map(([name, compat]) => createCompatProvider(name, compat, wrap)),
  ];
}
