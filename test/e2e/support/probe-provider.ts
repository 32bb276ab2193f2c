import { createDemoModel } from '../../../src/models/demo/demo-model.ts';
import { replaceDoStream } from '../../../src/models/replace-do-stream.ts';
import type { ModelProvider } from '../../../src/models/model-registry.ts';

/**
 * The demo model, paced, with a window on what the runtime does to it: every `doStream` call's
 * AbortSignal is recorded, so a test can see that a cancel really reached the model call.
 * `probe:broken` fails every call, for member-failure policies.
 */
export function createProbeProvider(tokenDelayMs: number) {
  const signals: AbortSignal[] = [];
  const aborted: { at: number }[] = [];
  const provider: ModelProvider = {
    name: 'probe',
    label: 'probe',
    isConfigured: true,
    simulated: true,
    listedModels: ['slow', 'broken'],
    createModel(modelId) {
      const inner = createDemoModel({ tokenDelayMs, modelId });
      return replaceDoStream({ ...inner, provider: 'probe' }, (options) => {
        if (modelId === 'broken') return Promise.reject(new Error('The probe model is broken on purpose.'));
        if (options.abortSignal) {
          signals.push(options.abortSignal);
          options.abortSignal.addEventListener('abort', () => aborted.push({ at: performance.now() }), { once: true });
        }
        return inner.doStream(options);
      });
    },
  };
  return { provider, signals, aborted };
}
