import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPriceUsage, PricesConfig } from './price-table.ts';

describe('createPriceUsage', () => {
  const prices = PricesConfig.parse({ 'openai:gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 }, 'anthropic/claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 } });
  const normalize = (spec: string) => (spec.includes(':') ? spec : spec.replace('/', ':'));
  const price = createPriceUsage(prices, normalize);

  it('adds costUsd in dollars from per-million prices', () => {
    assert.deepEqual(price('openai:gpt-4.1', { inputTokens: 1000, outputTokens: 500, totalTokens: 1500 }), { inputTokens: 1000, outputTokens: 500, totalTokens: 1500, costUsd: 0.006 });
  });

  it('matches either spelling of a model and prices openai-chat like openai', () => {
    assert.equal(price('anthropic:claude-haiku-4-5', { inputTokens: 1_000_000, outputTokens: 0, totalTokens: 1_000_000 }).costUsd, 1);
    assert.equal(price('openai-chat:gpt-4.1', { inputTokens: 0, outputTokens: 1_000_000, totalTokens: 1_000_000 }).costUsd, 8);
  });

  it('leaves unpriced models alone', () => {
    const usage = { inputTokens: 10, outputTokens: 10, totalTokens: 20 };
    assert.equal(price('demo', usage), usage);
  });

  it('rejects negative or missing prices', () => {
    assert.equal(PricesConfig.safeParse({ x: { inputPerMillion: -1, outputPerMillion: 1 } }).success, false);
    assert.equal(PricesConfig.safeParse({ x: { inputPerMillion: 1 } }).success, false);
  });
});
