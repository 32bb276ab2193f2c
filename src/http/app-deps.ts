import type { Catalog } from '../agents/catalog.ts';
import type { Bus } from '../bus/bus.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { RunManager } from '../runs/run-manager.ts';
import type { RunExecutor } from '../runs/run-job.ts';
import type { ExecutionPool } from '../runs/execution-pool.ts';
import type { Store } from '../store/store.ts';
import type { AuthOptions } from './access/authenticate.ts';
import type { CountRequest } from './access/request-limits.ts';
import type { RunLimits } from './access/run-limits.ts';
import type { Schedules } from '../runs/schedules/schedules.ts';
import type { WebhookAllowlist } from '../runs/webhooks/webhook-allowlist.ts';

export type HttpConfig = {
  /** Seconds between `: keep-alive` comments on idle streams, in ms. */
  heartbeatMs: number;
  bodyLimitBytes: number;
  /** Longest time (ms) to receive a request's headers and body; a slower client gets 408. Default 60 000. */
  requestTimeoutMs?: number;
  /** A stream whose client takes nothing for this long (ms) is disconnected; it can resume. Default 60 000. */
  stalledReaderMs?: number;
  /** Requests (streams included) one client address may have open at once; past it 429 `too_many_streams`. 0: no limit. */
  maxStreamsPerClient?: number;
  /** Origins allowed by CORS; `*` allows any. */
  corsOrigins: string[];
  /** Keys, JWT and per-key limits; with no keys and no JWT, every request is the `default` tenant. */
  access?: AuthOptions;
  /** The address the server binds; on loopback the Host header is checked (DNS rebinding). Default 127.0.0.1. */
  bindHost?: string;
  /** Host names besides loopback ones a loopback-bound server answers to. */
  allowedHosts?: string[];
  /** PEM certificate and key contents: the server speaks HTTPS. */
  tls?: { cert: Buffer; key: Buffer };
  /** When set, `/metrics` needs this key (the admin key). Unset: `/metrics` is guarded like every route. */
  metricsKey?: string;
  /** Folder of the built web UI, served at `/` when present. */
  webDir?: string;
  version: string;
};

/** What the HTTP layer is built from. `createApp` receives it; only `main.ts` assembles it. */
export type AppDeps = {
  runs: RunManager; catalog: Catalog; store: Store; bus: Bus; config: HttpConfig; log: Logger; executor?: RunExecutor; pool?: ExecutionPool;
  /** Per-key request quota and run limits; absent, nothing is limited per key. */
  limits?: { countRequest: CountRequest; runs: RunLimits };
  metrics: Metrics;
  /** The schedule API; absent, `/v1/schedules` is not served. */
  schedules?: Schedules;
  /** Which URLs a run's webhook may name; absent or empty, a run naming one is refused (`webhook_not_allowed`). */
  webhookAllowlist?: WebhookAllowlist;
};
