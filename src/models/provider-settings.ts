import { z } from 'zod';

const modelList = z.array(z.string().trim().min(1)).min(1);
const url = z.string().url();
const common = {
  /** Prefer the environment variable; a key here is read as given. */
  apiKey: z.string().min(1).optional(),
  baseURL: url.optional(),
  /** Models `GET /v1/models` lists; the first is the default model when this provider is the first configured. */
  models: modelList.optional(),
  /** Retries of a 429/5xx before the first token; overrides `AGENTSTREAM_MODEL_MAX_RETRIES`. */
  maxRetries: z.number().int().min(0).max(10).optional(),
};

const OpenAIConfig = z.object({
  ...common,
  /** Which wire format `openai:<model>` speaks: `responses` (default) or `chat` (Chat Completions). */
  api: z.enum(['responses', 'chat']).optional(),
  /** Reasoning summaries the Responses API streams for reasoning models; `none` asks for none. */
  reasoningSummary: z.enum(['auto', 'concise', 'detailed', 'none']).optional(),
}).strict();

const AnthropicConfig = z.object({
  ...common,
  /** Enables extended thinking with this budget (tokens); thinking streams as `reasoning.delta`. */
  thinkingBudgetTokens: z.number().int().min(1024).optional(),
}).strict();

const OpenRouterConfig = z.object(common).strict();

const CompatConfig = z.object({ ...common, baseURL: url }).strict();

/** The config file's `providers` section. Every field is optional: the environment may say it all. */
export const ProvidersConfig = z.object({
  openai: OpenAIConfig.optional(),
  anthropic: AnthropicConfig.optional(),
  openrouter: OpenRouterConfig.optional(),
  /** OpenAI-compatible servers (Ollama, vLLM, LM Studio): `compat:<name>/<model>`. */
  compat: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'compat names use letters, digits, _ and - (at most 32)'), CompatConfig).optional(),
}).strict();

export type ProvidersConfig = z.infer<typeof ProvidersConfig>;

/** One provider's resolved settings. `apiKey` is a secret: it goes to the provider package and nowhere else. */
export type ProviderSettings = {
  apiKey?: string;
  baseURL?: string;
  models: string[];
  maxRetries?: number;
};

/** Every provider's settings after merging environment and file; unconfigured providers have no key. */
export type ResolvedProviderSettings = {
  openai: ProviderSettings & { api: 'responses' | 'chat'; reasoningSummary?: 'auto' | 'concise' | 'detailed' };
  anthropic: ProviderSettings & { thinkingBudgetTokens?: number };
  openrouter: ProviderSettings;
  compat: Record<string, ProviderSettings & { baseURL: string }>;
};

/** Listed when config names no models: current small models that call tools well. */
export const DEFAULT_MODELS = {
  openai: ['gpt-4.1-mini'],
  anthropic: ['claude-haiku-4-5'],
  openrouter: ['openai/gpt-4.1-mini'],
} as const;

/**
 * Merges the environment and the config file's `providers` section. A non-empty environment variable
 * wins over the file, so a deployment can override a checked-in file without editing it.
 */
export function resolveProviderSettings(env: Record<string, string | undefined>, config: ProvidersConfig = {}): ResolvedProviderSettings {
  const fromEnv = (name: string) => (env[name] && env[name]!.trim() !== '' ? env[name]!.trim() : undefined);
  const base = (name: 'OPENAI' | 'ANTHROPIC' | 'OPENROUTER', file: { apiKey?: string; baseURL?: string; models?: string[]; maxRetries?: number } | undefined, models: readonly string[]): ProviderSettings => ({
    apiKey: fromEnv(`${name}_API_KEY`) ?? file?.apiKey,
    baseURL: fromEnv(`${name}_BASE_URL`) ?? file?.baseURL,
    models: [...(file?.models ?? models)],
    maxRetries: file?.maxRetries,
  });
  const summary = config.openai?.reasoningSummary ?? 'auto';
  return {
    openai: {
      ...base('OPENAI', config.openai, DEFAULT_MODELS.openai),
      api: config.openai?.api ?? 'responses',
      ...(summary === 'none' ? {} : { reasoningSummary: summary }),
    },
    anthropic: { ...base('ANTHROPIC', config.anthropic, DEFAULT_MODELS.anthropic), thinkingBudgetTokens: config.anthropic?.thinkingBudgetTokens },
    openrouter: base('OPENROUTER', config.openrouter, DEFAULT_MODELS.openrouter),
    compat: Object.fromEntries(Object.entries(config.compat ?? {}).map(([name, compat]) => [name, {
      apiKey: compat.apiKey,
      baseURL: compat.baseURL,
      models: compat.models ?? [],
      maxRetries: compat.maxRetries,
    }])),
  };
}

/** Every secret the settings hold, for scrubbing error messages (a provider may echo a key back). */
export function secretsOf(settings: ResolvedProviderSettings): string[] {
  const keys = [settings.openai.apiKey, settings.anthropic.apiKey, settings.openrouter.apiKey, ...Object.values(settings.compat).map((compat) => compat.apiKey)];
  return keys.filter((key): key is string => typeof key === 'string' && key.length > 0);
}
