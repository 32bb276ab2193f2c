import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';

/** What a provider module asks of the fault layer for each model it builds (see `guardModel`). */
export type WrapModel = (model: LanguageModelV4, options: {
  label: string;
  /** This provider's retry limit, when config overrides the server-wide one. */
  maxRetries?: number;
  defaultProviderOptions?: LanguageModelV4CallOptions['providerOptions'];
}) => LanguageModelV4;
