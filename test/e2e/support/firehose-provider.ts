import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { ModelProvider } from '../../../src/models/model-registry.ts';

/**
 * A SIMULATED model that answers with a lot of text as fast as the runtime takes it: `firehose:big` streams
 * `deltas` text deltas of `deltaChars` characters each, yielding to the event loop between deltas as a network
 * stream would. For tests of what the server does with a client that reads slower than the run produces.
 */
export function createFirehoseProvider(options: { deltas: number; deltaChars: number }): ModelProvider {
  const text = 'f'.repeat(options.deltaChars);
  return {
    name: 'firehose',
    label: 'firehose (simulated)',
    isConfigured: true,
    simulated: true,
    listedModels: ['big'],
    createModel(modelId) {
      const model: LanguageModelV4 = {
        specificationVersion: 'v4',
        provider: 'firehose',
        modelId,
        supportedUrls: {},
        doGenerate: () => Promise.reject(new Error('The firehose model only streams.')),
        async doStream(call) {
          let sent = 0;
          const stream = new ReadableStream<LanguageModelV4StreamPart>({
            start(controller) {
              controller.enqueue({ type: 'stream-start', warnings: [] });
              controller.enqueue({ type: 'text-start', id: 'firehose' });
            },
            async pull(controller) {
              call.abortSignal?.throwIfAborted();
              await new Promise((resolve) => setImmediate(resolve));
              if (sent < options.deltas) {
                sent += 1;
                controller.enqueue({ type: 'text-delta', id: 'firehose', delta: text });
                return;
              }
              controller.enqueue({ type: 'text-end', id: 'firehose' });
              controller.enqueue({
                type: 'finish', finishReason: { unified: 'stop', raw: 'stop' },
                usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: options.deltas, text: options.deltas, reasoning: 0 } },
              });
              controller.close();
            },
          });
          return { stream };
        },
      };
      return model;
    },
  };
}
