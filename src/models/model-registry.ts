import type { LanguageModelV4 } from '@ai-sdk/provider';
import { AppError } from '../errors/app-error.ts';

/** A provider the registry can build models from, e.g. `demo`, `openai`, `anthropic`, `compat:<name>`. */
export type ModelProvider = {
  name: string;
  label: string;
  /** True when the provider can be used now (its key or base URL is configured). */
  isConfigured: boolean;
  simulated?: boolean;
  /** Models listed by `GET /v1/models`; any model id is still accepted for a configured provider. */
  listedModels: string[];
  createModel(modelId: string): LanguageModelV4;
  /** True when its models take image inputs (file parts with an image media type); undefined means no. */
  acceptsImages?: boolean;
};

export type ModelInfo = { id: string; provider: string; label: string; simulated: boolean; isDefault: boolean };

export type ModelRegistry = {
  /** The model a run uses when neither the request nor the agent names one. */
  readonly defaultModel: string;
  /** `openai/gpt-4.1` (the seeds' form) and `openai:gpt-4.1` both become `openai:gpt-4.1`; `demo` stays `demo`. */
  normalize(spec: string): string;
  /** Throws `model_not_found` for an unknown or unconfigured provider. */
  resolve(spec: string): LanguageModelV4;
  isAvailable(spec: string): boolean;
  /** True when the model's provider declares image inputs (`acceptsImages`). */
  acceptsImages(spec: string): boolean;
  list(): ModelInfo[];
};

export function createModelRegistry(options: { providers: ModelProvider[]; defaultModel?: string }): ModelRegistry {
  const providers = new Map(options.providers.map((provider) => [provider.name, provider]));
  const cache = new Map<string, LanguageModelV4>();
  const firstConfigured = options.providers.find((provider) => provider.isConfigured && !provider.simulated && provider.listedModels.length > 0);
  const defaultModel = normalize(options.defaultModel ?? (firstConfigured ? `${firstConfigured.name}:${firstConfigured.listedModels[0]}` : 'demo'));

  function split(spec: string): { provider: string; modelId: string } {
    const normalized = normalize(spec);
    // `compat:<name>/<model>` keeps its slash: the provider is `compat:<name>`.
    if (normalized.startsWith('compat:')) {
      const rest = normalized.slice('compat:'.length);
      const slash = rest.indexOf('/');
      return slash < 0 ? { provider: normalized, modelId: '' } : { provider: `compat:${rest.slice(0, slash)}`, modelId: rest.slice(slash + 1) };
    }
    const colon = normalized.indexOf(':');
    if (colon < 0) return { provider: normalized, modelId: normalized };
    return { provider: normalized.slice(0, colon), modelId: normalized.slice(colon + 1) };
  }

  function find(spec: string): { provider: ModelProvider; modelId: string } {
    const { provider: name, modelId } = split(spec);
    const provider = providers.get(name);
    if (!provider || !provider.isConfigured || modelId === '') {
      // A bare name such as `gpt-4` is a model id without its provider: say the form, and what is there.
      const bare = !provider && !normalize(spec).includes(':');
      const reason = bare ? `models are named 'provider:model' (for example 'openai:${name}')`
        : !provider ? `unknown provider '${name}'` : !provider.isConfigured ? `provider '${name}' has no API key or base URL configured` : 'no model id';
      const available = listModels().map((model) => model.id);
      const shown = available.length > 12 ? `${available.slice(0, 12).join(', ')}, … (GET /v1/models)` : `${available.join(', ')} (GET /v1/models)`;
      throw new AppError('model_not_found', { message: `Model '${spec}' is not available: ${reason}. Available: ${shown}.`, details: { model: spec, available } });
    }
    return { provider, modelId };
  }

  return {
    defaultModel,
    normalize,
    resolve(spec) {
      const key = normalize(spec);
      let model = cache.get(key);
      if (!model) {
        const { provider, modelId } = find(key);
        model = provider.createModel(modelId);
        cache.set(key, model);
      }
      return model;
    },
    acceptsImages(spec) {
      try {
        return find(normalize(spec)).provider.acceptsImages === true;
      } catch {
        return false;
      }
    },
    isAvailable(spec) {
      try {
        find(spec);
        return true;
      } catch {
        return false;
      }
    },
    list: listModels,
  };

  function listModels(): ModelInfo[] {
    const models: ModelInfo[] = [];
    for (const provider of providers.values()) {
      if (!provider.isConfigured) continue;
      for (const modelId of provider.listedModels) {
        const id = modelId === provider.name ? modelId : provider.name.startsWith('compat:') ? `${provider.name}/${modelId}` : `${provider.name}:${modelId}`;
        models.push({ id, provider: provider.name, label: provider.simulated ? `${id} (simulated)` : id, simulated: provider.simulated ?? false, isDefault: id === defaultModel });
      }
    }
    return models;
  }
}

function normalize(spec: string): string {
  const trimmed = spec.trim();
  if (trimmed.includes(':')) return trimmed;
  const slash = trimmed.indexOf('/');
  return slash > 0 ? `${trimmed.slice(0, slash)}:${trimmed.slice(slash + 1)}` : trimmed;
}
