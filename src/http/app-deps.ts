import type { Catalog } from '../agents/catalog.ts';
import type { Bus } from '../bus/bus.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { RunManager } from '../runs/run-manager.ts';
import type { Store } from '../store/store.ts';

export type HttpConfig = {
  /** Seconds between `: keep-alive` comments on idle streams, in ms. */
  heartbeatMs: number;
  bodyLimitBytes: number;
  /** Longest time (ms) to receive a request's headers and body; a slower client gets 408. Default 60 000. */
  requestTimeoutMs?: number;
  /** Origins allowed by CORS; `*` allows any. */
  corsOrigins: string[];
  /** When set, every API route needs `Authorization: Bearer <key>` or `x-api-key`. */
  apiKey?: string;
  /** When set, `/metrics` needs this key (the admin key). Unset: `/metrics` is guarded like every route, by `apiKey`. */
  metricsKey?: string;
  /** Folder of the built web UI, served at `/` when present. */
  webDir?: string;
  version: string;
};

/** What the HTTP layer is built from. `createApp` receives it; only `main.ts` assembles it. */
export type AppDeps = { runs: RunManager; catalog: Catalog; store: Store; bus: Bus; config: HttpConfig; log: Logger; metrics: Metrics };
