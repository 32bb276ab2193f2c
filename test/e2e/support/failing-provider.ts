import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { ModelProvider } from '../../../src/models/model-registry.ts';

/**
 * A provider whose model fails mid-answer: it streams a few words, then an error part, the way a real
 * provider's stream breaks. Model `broken:midway`. For tests of how each wire format reports a failed run.
 */
export function createFailingProvider(): ModelProvider {
  return {
    name: 'broken',
    label: 'broken (test)',
    isConfigured: true,
    simulated: true,
    listedModels: ['midway'],
    createModel(modelId) {
      const model: LanguageModelV4 = {
        specificationVersion: 'v4',
        provider: 'broken',
        modelId,
        supportedUrls: {},
        doGenerate: async () => {
          throw new Error('the provider went away');
        },
        doStream: async () => {
          const parts: LanguageModelV4StreamPart[] = [
            { type: 'stream-start', warnings: [] },
            { type: 'text-start', id: 'broken-text' },
            { type: 'text-delta', id: 'broken-text', delta: 'Partial ' },
            { type: 'text-delta', id: 'broken-text', delta: 'answer ' },
            { type: 'error', error: new Error('the provider went away') },
          ];
          return { stream: new ReadableStream({ start(controller) { for (const part of parts) controller.enqueue(part); controller.close(); } }) };
        },
      };
      return model;
    },
  };
}

/**
 * A config file (in a fresh temp folder) with two extra agents: `broken_agent` on the failing model and
 * `slow_chat` on `probe:slow` (see probe-provider.ts). Pass its path as `configFile` to startTestServer.
 */
export function writeTestAgentsConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'agentstream-config-')), 'agentstream.config.json');
  writeFileSync(file, JSON.stringify({
    agents: [
      { id: 'broken_agent', name: 'Broken', description: 'Its model fails mid-answer.', model: 'broken:midway' },
      { id: 'slow_chat', name: 'Slow chat', description: 'A chat agent on a slow model.', model: 'probe:slow' },
    ],
  }));
  return file;
}
