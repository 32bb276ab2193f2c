import { Webhook } from 'standardwebhooks';
import type { Logger } from '../../logging/logger.ts';
import type { Store, WebhookAttempt, WebhookDelivery, WebhookOutcome } from '../../store/store.ts';
import type { WebhookAllowlist } from './webhook-allowlist.ts';

export type WebhookSenderOptions = {
  store: Store;
  /** `whsec_<base64>` (the Standard Webhooks form): receivers verify with the same secret. Never logged or returned. */
  secret: string;
  allowlist: WebhookAllowlist;
  /** Waits (ms) before each retry: attempt 1 goes at once, attempt n + 1 after `retryDelaysMs[n - 1]`; past the list, `failed`. */
  retryDelaysMs: readonly number[];
  /** Longest wait for one attempt's answer (ms). */
  timeoutMs: number;
  /** How often (ms) the store is asked for due deliveries. */
  pollMs: number;
  log: Logger;
  /** The clock attempts are stamped and scheduled by (tests pass their own). */
  now?: () => number;
};

/**
 * Delivers the webhooks of ended runs: a loop claims due deliveries from the store (so across instances each attempt
 * is sent once), POSTs the run's final record signed per Standard Webhooks (https://www.standardwebhooks.com/), and
 * records every attempt. A pending delivery is a row with its next attempt time, so it survives a restart.
 */
export class WebhookSender {
  readonly #options: WebhookSenderOptions;
  readonly #signer: Webhook;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #closed = false;
  // Aborts attempts in flight at shutdown, so closing never waits out a slow receiver.
  readonly #shutdown = new AbortController();

  constructor(options: WebhookSenderOptions) {
    this.#options = options;
    this.#signer = new Webhook(options.secret);
  }

  start(): void {
    const loop = () => {
      this.#timer = setTimeout(() => void this.tick().finally(() => { if (!this.#closed) loop(); }), this.#options.pollMs);
      this.#timer.unref();
    };
    loop();
  }

  /** Sends every delivery due now (one pass); resolves when their attempts are recorded. Concurrent calls share one pass. */
  tick(): Promise<void> {
    this.#ticking ??= this.#pass().finally(() => { this.#ticking = undefined; });
    return this.#ticking;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#shutdown.abort();
    await this.#ticking?.catch(() => {});
  }

  async #pass(): Promise<void> {
    const { store, timeoutMs, log } = this.#options;
    try {
      // Held for twice the attempt's timeout: long enough that no other instance sends it meanwhile.
      const due = await store.claimDueWebhooks(new Date(this.#now()).toISOString(), timeoutMs * 2 + 1000);
      await Promise.all(due.map((delivery) => this.#attempt(delivery)));
    } catch (error) {
      log('warn', 'webhook delivery pass failed; retried on the next poll', { error: String(error) });
    }
  }

  async #attempt(delivery: WebhookDelivery): Promise<void> {
    const { store, allowlist, retryDelaysMs, timeoutMs, log } = this.#options;
    const number = delivery.attempts.length + 1;
    const startedAt = this.#now();
    let statusCode: number | null = null;
    let error: string | null = null;
    // The allowlist may have changed since the run was admitted (a restart with another list): checked again here.
    if (!allowlist.allows(delivery.url)) error = 'The URL is no longer on the webhook allowlist.';
    else {
      try {
        statusCode = await this.#post(delivery, startedAt, timeoutMs);
        if (statusCode < 200 || statusCode > 299) error = `The receiver answered ${statusCode}.`;
      } catch (failure) {
        // Cut by shutdown: not the receiver's failure, so not recorded. The hold expires and the attempt is made again.
        if (this.#shutdown.signal.aborted) return;
        error = describeFetchError(failure, timeoutMs);
      }
    }
    const attempt: WebhookAttempt = { attempt: number, at: new Date(startedAt).toISOString(), durationMs: Math.max(0, this.#now() - startedAt), statusCode, error };
    const delay = retryDelaysMs[number - 1];
    const gaveUp = error !== null && (delay === undefined || !allowlist.allows(delivery.url));
    const outcome: WebhookOutcome = error === null ? { status: 'delivered' } : gaveUp ? { status: 'failed' } : { status: 'pending', nextAttemptAt: new Date(this.#now() + delay!).toISOString() };
    await store.recordWebhookAttempt(delivery.runId, attempt, outcome);
    if (error !== null) log(gaveUp ? 'warn' : 'info', gaveUp ? 'webhook delivery failed for good' : 'webhook attempt failed; retrying', { runId: delivery.runId, attempt: number, statusCode, error });
  }

  /** One POST of the run's final record; resolves with the status code. Redirects are not followed (the allowlist guards the first URL only). */
  async #post(delivery: WebhookDelivery, at: number, timeoutMs: number): Promise<number> {
    const run = await this.#options.store.getRun(delivery.runId);
    const body = JSON.stringify({ type: delivery.eventType, timestamp: run?.endedAt ?? new Date(at).toISOString(), data: run ?? null });
    const signature = this.#signer.sign(delivery.messageId, new Date(at), body);
    const response = await fetch(delivery.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#shutdown.signal]),
      headers: {
        'content-type': 'application/json', 'user-agent': 'agentstream-webhooks',
        'webhook-id': delivery.messageId, 'webhook-timestamp': String(Math.floor(at / 1000)), 'webhook-signature': signature,
      },
      body,
    });
    // The body is not read: only the status matters, and a huge body must not be buffered.
    await response.body?.cancel().catch(() => {});
    return response.status;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `No answer within ${timeoutMs} ms.`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}: ${cause.message ?? ''}`.trim() : String(error instanceof Error ? error.message : error);
}
