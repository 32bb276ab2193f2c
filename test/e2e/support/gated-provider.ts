import type { LanguageModelV4, LanguageModelV4Prompt, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { ModelProvider } from '../../../src/models/model-registry.ts';

/** One model call as the gated provider saw it: the run's message, the turns before it, and how to let it finish. */
export type GatedCall = { input: string; history: { role: string; text: string }[]; release(): void };

/**
 * A model whose answers a test lets go: `gate:hold` streams `partial answer to <input> ` at once, then waits until the
 * test calls `release(input)` (or the call is aborted); `gate:echo` answers `answer to <input>` at once. Every call's
 * prompt is kept, so a test sees which turns a run was given.
 */
export function createGatedProvider() {
  const calls: GatedCall[] = [];
  const watchers: { input: string; resolve: (call: GatedCall) => void }[] = [];
  const released = new Set<string>();

  const model = (modelId: string): LanguageModelV4 => ({
    specificationVersion: 'v4', provider: 'gate', modelId, supportedUrls: {},
    doGenerate: () => Promise.reject(new Error('gate: stream only')),
    async doStream(options) {
      const turns = turnsOf(options.prompt);
      const input = turns.filter((turn) => turn.role === 'user').at(-1)?.text ?? '';
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const call: GatedCall = { input, history: turns.slice(0, -1).filter((turn) => turn.role !== 'system'), release };
      calls.push(call);
      if (released.has(input) || modelId !== 'hold') release();
      for (const watcher of watchers.filter((each) => each.input === input)) watcher.resolve(call);
      const signal = options.abortSignal;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          const text = (delta: string) => controller.enqueue({ type: 'text-delta', id: 't', delta });
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 't' });
          if (modelId === 'hold') text(`partial answer to ${input} `);
          const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
          await Promise.race([gate, aborted]);
          if (signal?.aborted) return controller.error(signal.reason);
          text(modelId === 'hold' ? 'and the rest' : `answer to ${input}`);
          controller.enqueue({ type: 'text-end', id: 't' });
          controller.enqueue({
            type: 'finish', finishReason: { unified: 'stop', raw: 'stop' },
            usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
          });
          controller.close();
        },
      });
      return { stream };
    },
  });

  const provider: ModelProvider = { name: 'gate', label: 'gate', isConfigured: true, simulated: true, listedModels: ['hold', 'echo'], createModel: model };
  return {
    provider,
    calls,
    /** Resolves once a model call for `input` has started. */
    whenCalled(input: string): Promise<GatedCall> {
      const known = calls.find((call) => call.input === input);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => watchers.push({ input, resolve }));
    },
    /** Lets the held call for `input` finish (now, or as soon as it starts). */
    release(input: string): void {
      released.add(input);
      for (const call of calls.filter((each) => each.input === input)) call.release();
    },
  };
}

function turnsOf(prompt: LanguageModelV4Prompt): { role: string; text: string }[] {
  return prompt.map((message) => ({
    role: message.role,
    text: typeof message.content === 'string' ? message.content : message.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join(''),
  }));
}
