import { z } from 'zod';
import type { Usage } from '../events/run-event.ts';

const Price = z.object({
  /** US dollars per million input (prompt) tokens. */
  inputPerMillion: z.number().min(0),
  /** US dollars per million output tokens (reasoning tokens included, as providers bill them). */
  outputPerMillion: z.number().min(0),
}).strict();

/** The config file's `prices` section: `{"openai:gpt-4.1": {"inputPerMillion": 2, "outputPerMillion": 8}}`. */
export const PricesConfig = z.record(z.string().min(1), Price);
export type PricesConfig = z.infer<typeof PricesConfig>;

/**
 * Builds the `priceUsage(model, usage)` hook: usage of a priced model gains `costUsd`, an estimate from
 * the table; other models' usage is returned unchanged. Keys go through `normalize`, so `openai/gpt-4.1`
 * and `openai:gpt-4.1` name the same price.
 */
export function createPriceUsage(prices: PricesConfig, normalize: (spec: string) => string = (spec) => spec): (model: string, usage: Usage) => Usage {
  const table = new Map(Object.entries(prices).map(([model, price]) => [normalize(model), price]));
  return (model, usage) => {
    const key = normalize(model);
    // `openai-chat:x` is the same model as `openai:x` over another wire format: one price serves both.
    const price = table.get(key) ?? (key.startsWith('openai-chat:') ? table.get(`openai:${key.slice('openai-chat:'.length)}`) : undefined);
    if (!price) return usage;
    const cost = (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1_000_000;
    return { ...usage, costUsd: Math.round(cost * 1e8) / 1e8 };
  };
}
