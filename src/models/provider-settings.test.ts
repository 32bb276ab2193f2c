import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvidersConfig, resolveProviderSettings, secretsOf } from './provider-settings.ts';

describe('resolveProviderSettings', () => {
  it('takes keys and base URLs from the environment first, then the config file', () => {
    const config = ProvidersConfig.parse({ openai: { apiKey: 'file-key', baseURL: 'http://file.example/v1', models: ['gpt-4.1'] }, anthropic: { apiKey: 'file-anthropic' } });
    const settings = resolveProviderSettings({ OPENAI_API_KEY: 'env-key', ANTHROPIC_API_KEY: '' }, config);
    assert.equal(settings.openai.apiKey, 'env-key');
    assert.equal(settings.openai.baseURL, 'http://file.example/v1');
    assert.deepEqual(settings.openai.models, ['gpt-4.1']);
    assert.equal(settings.anthropic.apiKey, 'file-anthropic', 'an empty variable does not count');
    assert.equal(settings.openrouter.apiKey, undefined);
    assert.deepEqual(secretsOf(settings).sort(), ['env-key', 'file-anthropic']);
  });

  it('defaults: Responses API, reasoning summaries on, a small listed model per provider', () => {
    const settings = resolveProviderSettings({});
    assert.equal(settings.openai.api, 'responses');
    assert.equal(settings.openai.reasoningSummary, 'auto');
    assert.deepEqual(settings.openai.models, ['gpt-4.1-mini']);
    assert.deepEqual(settings.anthropic.models, ['claude-haiku-4-5']);
    assert.equal(resolveProviderSettings({}, { openai: { reasoningSummary: 'none' } }).openai.reasoningSummary, undefined);
  });

  it('rejects unknown fields and compat servers without a base URL', () => {
    assert.equal(ProvidersConfig.safeParse({ openai: { apikey: 'typo' } }).success, false);
    assert.equal(ProvidersConfig.safeParse({ compat: { ollama: { models: ['llama3.2'] } } }).success, false);
    assert.equal(ProvidersConfig.safeParse({ compat: { ollama: { baseURL: 'http://127.0.0.1:11434/v1' } } }).success, true);
  });
});
