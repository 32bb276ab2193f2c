import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { AppError } from '../errors/app-error.ts';
import { replaceDoStream } from './replace-do-stream.ts';

export type StallGuardOptions = {
  /** Longest wait for the response or for the next stream part, in ms. */
  stallTimeoutMs: number;
  /** Names the provider in the error, e.g. `OpenAI`. */
  label: string;
};

type CallResult = Awaited<ReturnType<LanguageModelV4['doStream']>>;

/**
 * Wraps a model so that a call which goes quiet — no response, or no stream part for `stallTimeoutMs` —
 * aborts its upstream request and fails with `upstream_timeout`. The caller's AbortSignal still reaches
 * the upstream request at once. The timer only runs while the consumer is waiting for a part, so a slow
 * reader never looks like a stalled provider.
 */
export function withStallGuard(model: LanguageModelV4, options: StallGuardOptions): LanguageModelV4 {
  const stalledError = () => new AppError('upstream_timeout', {
    message: `${options.label} sent nothing for ${formatSeconds(options.stallTimeoutMs)}; the request was aborted.`,
    details: { provider: options.label, stallTimeoutMs: options.stallTimeoutMs },
  });

  return replaceDoStream(model, async (callOptions: LanguageModelV4CallOptions): Promise<CallResult> => {
    const upstream = new AbortController();
    const outer = callOptions.abortSignal;
    const forwardAbort = () => upstream.abort(outer?.reason);
    if (outer?.aborted) forwardAbort();
    else outer?.addEventListener('abort', forwardAbort, { once: true });
    const release = () => outer?.removeEventListener('abort', forwardAbort);

    // Races `work` against the stall timer. On a stall the upstream request is aborted too; whatever
    // that abort makes `work` reject with, the caller sees the stall.
    let stalled: AppError | undefined;
    const guarded = async <T>(work: Promise<T>): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const stall = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          stalled = stalledError();
          reject(stalled);
          upstream.abort(stalled);
        }, options.stallTimeoutMs);
      });
      try {
        return await Promise.race([work, stall]);
      } catch (error) {
        throw stalled ?? error;
      } finally {
        clearTimeout(timer);
      }
    };

    let result: CallResult;
    try {
      result = await guarded(Promise.resolve(model.doStream({ ...callOptions, abortSignal: upstream.signal })));
    } catch (error) {
      release();
      throw error;
    }
    const reader = result.stream.getReader();
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      async pull(controller) {
        try {
          const { done, value } = await guarded(reader.read());
          if (done) {
            release();
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (error) {
          release();
          reader.cancel().catch(() => {});
          controller.error(error);
        }
      },
      cancel(reason) {
        release();
        upstream.abort(reason);
        return reader.cancel(reason).catch(() => {});
      },
    }, { highWaterMark: 0 });
    return { ...result, stream };
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
