import type { ModelProvider } from '../model-registry.ts';
import { createDemoModel } from './demo-model.ts';

/** The built-in SIMULATED provider: `demo` (paced like a real model) and `demo:bench` (the benchmark's fixed run). */
export function createDemoProvider(options: { tokenDelayMs: number }): ModelProvider {
  return {
    name: 'demo',
    label: 'demo (simulated)',
    isConfigured: true,
    simulated: true,
    listedModels: ['demo'],
    // It cannot look at an image, but it takes one and says so ("I see 1 image"), as a vision model's path would.
    acceptsImages: true,
    createModel(modelId) {
      return createDemoModel({ tokenDelayMs: modelId === 'bench' ? 0 : options.tokenDelayMs, modelId: modelId === 'demo' ? 'demo' : `demo:${modelId}` });
    },
  };
}
