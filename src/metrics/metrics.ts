import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus series the server exports, on its own registry (two servers in one process do not mix).
 * Run series are fed by `observeRunMetrics` from the event spine; the HTTP layer counts errors and open streams;
 * the queue (durable runs) and the rate limiter (access) set theirs through `queueDepth`, `workers`, `rateLimited`.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly runs = new Counter({ name: 'agentstream_runs_total', help: 'Runs by status (started, completed, failed, cancelled) and target', labelNames: ['status', 'target_kind', 'target'], registers: [this.registry] });
  readonly activeRuns = new Gauge({ name: 'agentstream_active_runs', help: 'Runs executing on this instance', registers: [this.registry] });
  readonly openStreams = new Gauge({ name: 'agentstream_open_streams', help: 'SSE streams open to clients on this instance', registers: [this.registry] });
  // Counted per event (text deltas too) into a plain map and added to the counter when it is read: a labelled
  // counter's `inc` cost ~0.1 µs per event of the hot path, for a figure nobody reads more than once a scrape.
  readonly #uncountedEvents = new Map<string, number>();
  readonly events = new Counter({
    name: 'agentstream_events_total', help: 'Run events emitted, by type', labelNames: ['type'], registers: [this.registry],
    collect: () => this.#countEvents(),
  });
  readonly firstEvent = new Histogram({
    name: 'agentstream_run_first_output_seconds', help: 'Time from run.started to the run\'s first model output (reasoning, text or tool call)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: [this.registry],
  });
  readonly runDuration = new Histogram({
    name: 'agentstream_run_duration_seconds', help: 'Time from run.started to the terminal event, by status and target',
    labelNames: ['status', 'target_kind', 'target'], buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600], registers: [this.registry],
  });
  readonly toolDuration = new Histogram({
    name: 'agentstream_tool_duration_seconds', help: 'Tool call durations, by tool and outcome (completed, failed)',
    labelNames: ['tool', 'outcome'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: [this.registry],
  });
  readonly tokens = new Counter({ name: 'agentstream_tokens_total', help: 'Model tokens, by model and kind (input, output, reasoning)', labelNames: ['model', 'kind'], registers: [this.registry] });
  readonly cost = new Counter({ name: 'agentstream_cost_usd_total', help: 'Estimated model cost in USD (from the configured price table), by model', labelNames: ['model'], registers: [this.registry] });
  readonly errors = new Counter({
    name: 'agentstream_errors_total', help: 'Errors clients received, by code and where (http, run, tool, member)',
    labelNames: ['code', 'source'], registers: [this.registry],
  });
  readonly rateLimitedRequests = new Counter({ name: 'agentstream_rate_limited_requests_total', help: 'Requests refused by a rate limit, by limit', labelNames: ['limit'], registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'agentstream_queue_depth', help: 'Runs waiting in the run queue', registers: [this.registry] });
  readonly workers = new Gauge({ name: 'agentstream_workers', help: 'Workers taking runs from the queue', registers: [this.registry] });

  constructor() {
    // Process memory, CPU, handles and event-loop lag (`nodejs_eventloop_lag_seconds`, `process_resident_memory_bytes`…).
    collectDefaultMetrics({ register: this.registry });
  }

  /** One run event of `type` emitted (`agentstream_events_total`); counted when the series is next read. */
  countEvent(type: string): void {
    this.#uncountedEvents.set(type, (this.#uncountedEvents.get(type) ?? 0) + 1);
  }

  #countEvents(): void {
    for (const [type, count] of this.#uncountedEvents) this.events.inc({ type }, count);
    this.#uncountedEvents.clear();
  }

  /** The hook for rate limiters: one call per refused request. */
  rateLimited(limit: string): void {
    this.rateLimitedRequests.inc({ limit });
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export function createMetrics(): Metrics {
  return new Metrics();
}
