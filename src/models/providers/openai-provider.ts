import { createOpenAI } from '@ai-sdk/openai';
import type { ModelProvider } from '../model-registry.ts';
import type { ResolvedProviderSettings } from '../provider-settings.ts';
import type { WrapModel } from './wrap-model.ts';

/**
 * OpenAI, two wire formats: `openai:<model>` speaks the Responses API (the package default, and the one
 * that streams reasoning summaries) unless config says `api: "chat"`; `openai-chat:<model>` always speaks
 * Chat Completions. Both share the key and base URL.
 * Responses: https://platform.openai.com/docs/api-reference/responses-streaming
 * Chat Completions: https://platform.openai.com/docs/api-reference/chat-streaming
 */
export function createOpenAIProviders(settings: ResolvedProviderSettings['openai'], wrap: WrapModel): ModelProvider[] {
  const isConfigured = settings.apiKey !== undefined;
  const openai = isConfigured ? createOpenAI({ apiKey: settings.apiKey, baseURL: settings.baseURL }) : undefined;
  const reasoning = settings.reasoningSummary ? { openai: { reasoningSummary: settings.reasoningSummary } } : undefined;
  const responses = (modelId: string) => wrap(openai!.responses(modelId), { label: 'OpenAI', maxRetries: settings.maxRetries, defaultProviderOptions: reasoning });
  const chat = (modelId: string) => wrap(openai!.chat(modelId), { label: 'OpenAI', maxRetries: settings.maxRetries });
  return [
    { name: 'openai', label: 'OpenAI', isConfigured, listedModels: settings.models, createModel: settings.api === 'chat' ? chat : responses, acceptsImages: true },
    // Listed under `openai:` only, so `GET /v1/models` shows each model once; any id works here too.
    { name: 'openai-chat', label: 'OpenAI (Chat Completions)', isConfigured, listedModels: [], createModel: chat, acceptsImages: true },
  ];
}
