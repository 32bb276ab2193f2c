import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { RetriesExhaustedError, statusOf } from './provider-error.ts';
import { replaceDoStream } from './replace-do-stream.ts';

/** How many times and how patiently a failed call is retried. */
export type RetryOptions = {
  /** Retries after the first call; 0 turns retrying off. */
  maxRetries: number;
  /** First backoff in ms; each retry doubles it, with jitter. */
  baseDelayMs: number;
  /** Longest wait before a retry, in ms. A `Retry-After` asking for more is not waited for: the call fails. */
  maxDelayMs: number;
  /** Told about each retry before its wait (for the log). */
  onRetry?: (info: { attempt: number; delayMs: number; status?: number; error: unknown }) => void;
  /** Random number in [0, 1); tests pass a fixed one. */
  random?: () => number;
};

type CallResult = Awaited<ReturnType<LanguageModelV4['doStream']>>;

// Parts a stream may send before it has produced anything: a failure up to here can be retried
// without anyone having seen output.
const PRELUDE_PARTS = new Set<LanguageModelV4StreamPart['type']>(['stream-start', 'response-metadata', 'raw', 'custom']);

/**
 * Wraps a model so that a call failing before its first output part (429, 5xx, a refused connection, an
 * `overloaded` error event) is retried with exponential backoff and jitter, honouring `Retry-After`.
 * Once output has flowed nothing is retried: the consumer has already seen it. The provider packages'
 * own `maxRetries` lives in `generateText`/`streamText`, which our loop does not use; their
 * `doStream` makes exactly one request.
 */
export function withRetries(model: LanguageModelV4, options: RetryOptions): LanguageModelV4 {
  const random = options.random ?? Math.random;
  return replaceDoStream(model, async (callOptions: LanguageModelV4CallOptions): Promise<CallResult> => {
    const signal = callOptions.abortSignal;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await startStream(model, callOptions);
      } catch (error) {
        if (signal?.aborted) throw error;
        const delayMs = retryDelay(error, attempt, options, random);
        if (delayMs === undefined) throw attempt === 0 ? error : new RetriesExhaustedError(error, attempt + 1);
        if (attempt >= options.maxRetries) throw new RetriesExhaustedError(error, attempt + 1);
        options.onRetry?.({ attempt: attempt + 1, delayMs, status: statusOf(error), error });
        await sleep(delayMs, signal);
      }
    }
  });
}

/** Calls `doStream` and reads up to the first output part, so that an early failure throws here. */
async function startStream(model: LanguageModelV4, callOptions: LanguageModelV4CallOptions): Promise<CallResult> {
  const result = await model.doStream(callOptions);
  const reader = result.stream.getReader();
  const head: LanguageModelV4StreamPart[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.type === 'error') throw value.error;
      head.push(value);
      if (!PRELUDE_PARTS.has(value.type)) break;
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  const stream = new ReadableStream<LanguageModelV4StreamPart>({
    async pull(controller) {
      const buffered = head.shift();
      if (buffered) return controller.enqueue(buffered);
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
      }
    },
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  }, { highWaterMark: 0 });
  return { ...result, stream };
}

/** How long to wait before retrying `error`, or undefined when it must not be retried. */
export function retryDelay(error: unknown, attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number | undefined {
  if (!isRetryable(error)) return undefined;
  const asked = retryAfterMs(error);
  if (asked !== undefined) {
    if (asked > options.maxDelayMs) return undefined;
    // Never earlier than asked; a little later so that many clients do not return in lockstep.
    return Math.round(asked + random() * Math.min(asked * 0.1, 1000));
  }
  const ceiling = Math.min(options.baseDelayMs * 2 ** attempt, options.maxDelayMs);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined && status >= 400) return status === 408 || status === 429 || status >= 500;
  // A refused or reset connection (no status, or a 2xx whose body broke before any output): the SDK
  // marks it retryable, and nobody has seen output yet.
  return (error as { isRetryable?: unknown } | null)?.isRetryable === true;
}

/** `retry-after-ms` (OpenAI) or `retry-after` (seconds or an HTTP date), in ms. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const headers = (error as { responseHeaders?: Record<string, string> } | null)?.responseHeaders;
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers['retry-after'];
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
