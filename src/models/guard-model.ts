import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { AppError } from '../errors/app-error.ts';
import { scrub, toProviderError, type ProviderErrorContext } from './provider-error.ts';
import { withRetries, type RetryOptions } from './retrying-model.ts';
import { withStallGuard } from './stall-guard.ts';
import { replaceDoStream } from './replace-do-stream.ts';

/** How every real provider's models behave under faults; see docs/providers.md. */
export type FaultPolicy = {
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  stallTimeoutMs: number;
};

/** The fault policy, who the provider is (for messages) and which secrets to scrub. */
export type GuardOptions = FaultPolicy & ProviderErrorContext & {
  /** Call options every call gets unless it sets them itself (e.g. reasoning summaries). */
  defaultProviderOptions?: LanguageModelV4CallOptions['providerOptions'];
  onRetry?: RetryOptions['onRetry'];
};

type CallResult = Awaited<ReturnType<LanguageModelV4['doStream']>>;

/**
 * A provider package's model made fit for runs: retried before its first token, aborted when it stalls,
 * and failing only with AppErrors that name the provider and never carry a secret. A stream that ends
 * without its completion signal (`finishReason: interrupted`) fails instead of passing as an answer.
 */
export function guardModel(model: LanguageModelV4, options: GuardOptions): LanguageModelV4 {
  const stalled = withStallGuard(model, { stallTimeoutMs: options.stallTimeoutMs, label: options.label });
  const retried = withRetries(stalled, {
    maxRetries: options.maxRetries,
    baseDelayMs: options.retryBaseDelayMs,
    maxDelayMs: options.retryMaxDelayMs,
    onRetry: options.onRetry,
  });
  const named = (error: unknown) => toProviderError(error, options);
  return replaceDoStream(model, async (callOptions: LanguageModelV4CallOptions): Promise<CallResult> => {
    const merged = options.defaultProviderOptions && !callOptions.providerOptions ? { ...callOptions, providerOptions: options.defaultProviderOptions } : callOptions;
    let result: CallResult;
    try {
      result = await retried.doStream(merged);
    } catch (error) {
      throw named(error);
    }
    const stream = result.stream.pipeThrough(new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
      transform(part, controller) {
        if (part.type === 'error') return controller.enqueue({ type: 'error', error: named(part.error) });
        if (part.type === 'finish' && part.finishReason.unified === 'interrupted') {
          return controller.enqueue({ type: 'error', error: new AppError('upstream_error', { message: `The ${options.label} stream ended before the response was complete.`, details: { provider: options.label } }) });
        }
        controller.enqueue(part);
      },
    }));
    return { ...result, stream: mapStreamErrors(stream, named, callOptions.abortSignal) };
  });
}

/**
 * Errors thrown while reading (a cut socket) become provider errors; aborts stay aborts. A stream that
 * ends quietly after its call was aborted (OpenRouter's package does that) errors with an AbortError, so
 * a cancelled call can never pass for a finished one.
 */
function mapStreamErrors(stream: ReadableStream<LanguageModelV4StreamPart>, map: (error: unknown) => unknown, signal: AbortSignal | undefined): ReadableStream<LanguageModelV4StreamPart> {
  const reader = stream.getReader();
  return new ReadableStream<LanguageModelV4StreamPart>({
    async pull(controller) {
      try {
        if (signal?.aborted) throw new DOMException('The model call was aborted.', 'AbortError');
        const { done, value } = await reader.read();
        if (done && signal?.aborted) throw new DOMException('The model call was aborted.', 'AbortError');
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        reader.cancel(error).catch(() => {});
        controller.error(map(error));
      }
    },
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  }, { highWaterMark: 0 });
}

/** A retry, as the log should see it: provider, attempt, wait and status, with the message scrubbed. */
export function describeRetry(label: string, secrets: readonly string[], info: { attempt: number; delayMs: number; status?: number; error: unknown }): Record<string, unknown> {
  const message = (info.error as { message?: unknown } | null)?.message;
  return { provider: label, attempt: info.attempt, delayMs: info.delayMs, status: info.status, error: typeof message === 'string' ? scrub(message, secrets) : undefined };
}
