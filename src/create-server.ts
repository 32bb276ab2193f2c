import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkDataDir } from './config/check-data-dir.ts';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { createInProcessBus } from './bus/in-process/in-process-bus.ts';
import { createRedisBus } from './bus/redis/redis-bus.ts';
import type { Bus } from './bus/bus.ts';
import { buildCatalog } from './config/build-catalog.ts';
import type { Catalog } from './agents/catalog.ts';
import { resolveApp, type AppDefinition } from './config/define-app.ts';
import { ConfigError, loadConfigFile } from './config/load-config-file.ts';
import type { ServerConfig } from './config/server-config.ts';
import { createApp, type RouteModule } from './http/app.ts';
import { assertSafeBind, buildAccess } from './http/access/build-access.ts';
import { createRequestLimits } from './http/access/request-limits.ts';
import { createRunLimits } from './http/access/run-limits.ts';
import { createLogger, secretsOf, type Logger } from './logging/logger.ts';
import type { TracerProvider } from '@opentelemetry/api';
import { observeBus } from './bus/observed-bus.ts';
import { unknownEnvVariables } from './config/server-config.ts';
import { logStreamEvents } from './logging/log-stream-events.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { observeRunMetrics } from './metrics/observe-run-metrics.ts';
import { createTracing } from './tracing/create-tracing.ts';
import { traceRuns } from './tracing/trace-runs.ts';
import { createDemoProvider } from './models/demo/demo-provider.ts';
import { createProviders } from './models/create-providers.ts';
import { createModelRegistry, type ModelProvider } from './models/model-registry.ts';
import { createPriceUsage } from './models/price-table.ts';
import { RunManager } from './runs/run-manager.ts';
import { ExecutionPool } from './runs/execution-pool.ts';
import { createInProcessExecutor } from './runs/in-process-executor.ts';
import { startNextOfSessionOrLog } from './runs/session-policy.ts';
import { createQueueExecutor, type QueueExecutor } from './runs/queue/bullmq-executor.ts';
import { startQueueWorker, type QueueWorker } from './runs/queue/bullmq-worker.ts';
import type { RunExecutor } from './runs/run-job.ts';
import { startRunLiveness } from './runs/run-liveness.ts';
import { lockDataDir } from './store/sqlite/data-dir-lock.ts';
import { StartupError } from './config/startup-error.ts';
import { endOpenSseWriters, openSseWriterCount } from './http/sse-writer.ts';
import { settleWithin } from './runs/settle-within.ts';
import { createWorkerApp } from './http/worker-app.ts';
import { LoadGate, type LoadProbe } from './runs/load-gate.ts';
import { createPostgresStore } from './store/postgres/postgres-store.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';
import type { Store } from './store/store.ts';
import { createBuiltinTools } from './tools/builtin-tools.ts';
import { warmCalculator } from './tools/calculator.ts';
import type { Tool } from './tools/define-tool.ts';
import { McpHub } from './tools/mcp/mcp-hub.ts';
import { protocolRoutes } from './http/routes/protocol-routes.ts';
import { Schedules } from './runs/schedules/schedules.ts';
import { Scheduler } from './runs/schedules/scheduler.ts';
import { createWebhookAllowlist, type WebhookAllowlist } from './runs/webhooks/webhook-allowlist.ts';
import { WebhookSender } from './runs/webhooks/webhook-sender.ts';
import { Webhook } from 'standardwebhooks';

export type Server = {
  app: FastifyInstance;
  /** Prometheus series; the queue and the rate limiter set theirs here (`queueDepth`, `workers`, `rateLimited`). */
  metrics: Metrics;
  runs: RunManager;
  /** Where this instance executes runs: absent on an `api` instance. */
  pool?: ExecutionPool;
  catalog: Catalog;
  executor: RunExecutor;
  store: Store;
  bus: Bus;
  log: Logger;
  /** The schedule API, and the loop that fires due schedules (its `tick` is what tests drive under their clock). */
  schedules: Schedules;
  scheduler: Scheduler;
  /** Delivers ended runs' webhooks; absent when no `AGENTSTREAM_WEBHOOK_SECRET` is set. */
  webhooks?: WebhookSender;
  /** Listens and returns the base URL, e.g. `http://127.0.0.1:8000`. */
  listen(): Promise<string>;
  close(): Promise<void>;
};

/** Pending connections the kernel may queue for `accept` (capped by `net.core.somaxconn`). */
const LISTEN_BACKLOG = 4096;

export type ServerParts = {
  store?: Store; bus?: Bus; providers?: ModelProvider[]; tools?: Tool[]; log?: Logger; routes?: RouteModule[];
  /** Replaces the measured load that admission looks at (tests). */
  loadProbe?: LoadProbe;
  /** Where run spans go; by default OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, else nowhere (tests pass an in-memory one). */
  tracerProvider?: TracerProvider;
  /** Agents, teams and tools defined in code (`createServer` from the public entry, `agentstream.config.ts`); `appSource` names where. */
  app?: AppDefinition; appSource?: string;
  /** The clock schedules are computed and fired by (tests pass a fake one and call `scheduler.tick()`). */
  clock?: { now(): number };
};

/**
 * What the process would otherwise initialise on first use, with the event loop blocked while a request waits: mathjs
 * for the calculator tool (about a second). Measured: the first request after start waited 0.8–1.1 s for it.
 */
async function warmUp(): Promise<void> {
  await warmCalculator();
}

/** The composition root below `main.ts`: config -> adapters -> run manager -> app. Tests call it directly. */
export async function createServer(config: ServerConfig, parts: ServerParts = {}): Promise<Server> {
  const log = parts.log ?? createLogger({ level: config.logLevel, secrets: [...secretsOf(config.env), ...(config.apiKey ? [config.apiKey] : []), ...(config.webhookSecret ? [config.webhookSecret] : [])] });
  const webhookAllowlist = buildWebhookAllowlist(config);
  for (const name of unknownEnvVariables(config.env)) log('warn', `unknown environment variable ${name} (ignored); see README "Configuration"`, { variable: name });
  const metrics = createMetrics();
  const tracing = parts.tracerProvider ? undefined : await createTracing(config.env);
  const tracerProvider = parts.tracerProvider ?? tracing?.provider;
  const file = loadConfigFile(config.configFile);
  const access = buildAccess(config, file);
  assertSafeBind(config, access);
  const tls = readTls(config);
  const realProviders = createProviders({
    env: config.env,
    config: file.raw.providers,
    faults: { maxRetries: config.modelMaxRetries, retryBaseDelayMs: config.modelRetryBaseDelayMs, retryMaxDelayMs: config.modelRetryMaxDelayMs, stallTimeoutMs: config.stallTimeoutMs },
    log,
  });
  const providers = [createDemoProvider({ tokenDelayMs: config.demoTokenDelayMs }), ...realProviders, ...(parts.providers ?? [])];
  const models = createModelRegistry({ providers, defaultModel: config.defaultModel ?? file.defaultModel });
  const codeApp = parts.app ? resolveApp(parts.app) : undefined;
  const tools = [...createBuiltinTools(), ...(parts.tools ?? [])];
  for (const tool of codeApp?.tools ?? []) {
    if (tools.some((known) => known.name === tool.name)) throw new ConfigError(`${parts.appSource ?? 'code'}: tool '${tool.name}' has the name of a built-in tool; pick another name.`);
    tools.push(tool);
  }
  const mcpServers = file.raw.mcpServers ?? [];
  const mcp = mcpServers.length > 0 ? new McpHub({ servers: mcpServers, log, connectTimeoutMs: config.mcpConnectTimeoutMs, callTimeoutMs: config.mcpCallTimeoutMs }) : undefined;
  const code = codeApp ? { agents: codeApp.agents, teams: codeApp.teams, source: parts.appSource ?? 'code' } : undefined;
  const catalog = buildCatalog({ file, tools, models, mcp, ...(code ? { code } : {}) });
  const priceUsage = file.raw.prices ? createPriceUsage(file.raw.prices, models.normalize) : undefined;
  // DATABASE_URL / REDIS_URL pick the adapters several instances share; unset, one process embeds both.
  const databaseFile = config.databaseFile ?? join(config.dataDir, 'agentstream.db');
  // Only one process may write the embedded file: a second one on the same data directory refuses to start.
  if (!parts.store && !config.databaseUrl && config.databaseFile !== ':memory:') checkDataDir(config.databaseFile ? dirname(config.databaseFile) : config.dataDir);
  const releaseLock = !parts.store && !config.databaseUrl && databaseFile !== ':memory:' ? lockDataDir(databaseFile) : () => {};
  let store: Store;
  let bus: Bus;
  try {
    store = parts.store ?? (config.databaseUrl ? await createPostgresStore({ connectionString: config.databaseUrl }) : createSqliteStore({ file: databaseFile }));
    const innerBus = parts.bus ?? (config.redisUrl ? await createRedisBus({ url: config.redisUrl, channelPrefix: config.redisChannelPrefix, log }) : createInProcessBus());
    // Metrics, traces and the stream_events log read the event spine where this instance publishes it.
    const observers = [observeRunMetrics(metrics), tracerProvider ? traceRuns(tracerProvider.getTracer('agentstream')) : undefined, logStreamEvents(log, config.logLevel)];
    bus = observeBus(innerBus, observers.filter((observer) => observer !== undefined));
  } catch (error) {
    releaseLock();
    throw error;
  }
  // The queue shape: runs go through BullMQ on Redis to workers sharing PostgreSQL. Otherwise runs execute here.
  const queueShape = Boolean(config.redisUrl) && store.shared;
  if (config.role !== 'all' && !queueShape) {
    releaseLock();
    throw new StartupError(`--role ${config.role} needs the queue shape: set DATABASE_URL (PostgreSQL) and REDIS_URL.`);
  }
  // Per-key limits live in Redis when there is one, so every instance counts against the same quota.
  const limitsRedis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectionName: 'agentstream:limits' }) : undefined;
  limitsRedis?.on('error', () => {}); // the limiters fall back to memory while Redis is away
  const limitsPrefix = `${config.redisChannelPrefix}:limits`;
  const limits = { countRequest: createRequestLimits({ redis: limitsRedis, keyPrefix: limitsPrefix }), runs: createRunLimits({ redis: limitsRedis, keyPrefix: limitsPrefix }) };
  const loadGate = new LoadGate({
    maxEventLoopDelayMs: config.maxEventLoopDelayMs, maxOpenStreams: config.maxOpenStreams, openStreams: openSseWriterCount, probe: parts.loadProbe,
  });
  const pool = config.role === 'api' ? undefined : new ExecutionPool({
    store, bus, catalog, log, priceUsage, defaultTimeoutMs: config.runTimeoutMs, maxAttempts: config.maxRunAttempts,
    claimGuardMs: config.runStaleAfterMs, inputTimeoutMs: config.inputTimeoutMs,
    // A run waiting for its session's earlier run (double-texting `enqueue`) starts once that one ends.
    onRunEnded: (run, tenant) => {
      void startNextOfSessionOrLog(store, executor, run, tenant, log);
    },
  });
  let queue: QueueExecutor | undefined;
  let worker: QueueWorker | undefined;
  const executor: RunExecutor = queueShape
    ? (queue = await createQueueExecutor({ redisUrl: config.redisUrl!, prefix: config.redisChannelPrefix, log }))
    : createInProcessExecutor(pool!, log);
  const runs = new RunManager({
    admit: limits.runs.admit, loadGate,
    store, bus, catalog, log, executor, pool, maxConcurrentRuns: config.maxConcurrentRuns, followResyncMs: config.followResyncMs, instanceId: pool?.instanceId,
    // Workers only execute: the API instances fail paused runs past their deadline (one of them wins each).
    inputSweepMs: config.role === 'worker' ? 0 : config.inputSweepMs,
  });
  const instanceId = pool?.instanceId ?? runs.instanceId;
  const now = parts.clock ? () => parts.clock!.now() : undefined;
  const schedules = new Schedules({ store, catalog, now });
  const scheduler = new Scheduler({ store, runs, tickMs: config.schedulerTickMs, log, now });
  const webhooks = config.webhookSecret ? new WebhookSender({
    store, secret: config.webhookSecret, allowlist: webhookAllowlist, retryDelaysMs: config.webhookRetryDelaysMs, timeoutMs: config.webhookTimeoutMs, pollMs: config.webhookPollMs, log,
  }) : undefined;
  const staleAfterMs = config.runStaleAfterMs;
  let stopLiveness = () => {};
  // Only once this process listens: one that fails to start (the port is taken) must not have claimed runs first.
  const beginExecuting = async () => {
    // Every instance looks for due schedules and webhooks: the store hands each slot and each attempt to one of them.
    scheduler.start();
    webhooks?.start();
    if (queue) {
      // Lost jobs are found from PostgreSQL, the source of truth; a dead worker's jobs come back through BullMQ's stalled check.
      const reconcile = async () => {
      await queue!.reconcile(store, staleAfterMs);
      // The queue's backlog and workers, for /metrics: read on the liveness timer, not per scrape.
      metrics.queueDepth.set((await queue!.depth()) ?? 0);
      metrics.workers.set(await queue!.workerCount());
    };
      await reconcile();
      stopLiveness = startRunLiveness({ store, instanceId, heartbeatMs: config.runHeartbeatMs, hasActiveRuns: () => (pool?.activeCount ?? 0) > 0, sweep: reconcile, log });
      if (pool) worker = await startQueueWorker({ redisUrl: config.redisUrl!, prefix: config.redisChannelPrefix, pool, concurrency: config.workerConcurrency, lockMs: config.workerLockMs, log });
    } else if (pool) {
      const resume = (runId: string, attempt: number, reason: string) => {
        void pool.execute({ runId, attempt, reason }).catch((error: unknown) => log('error', 'resuming a run failed', { runId, error: String(error) }));
      };
      if (!store.shared) {
        // The file is this process's alone (the lock): whatever is unfinished was cut off by the last process's end.
        for (const run of await store.listUnfinishedRuns()) resume(run.id, run.attempt + 1, 'The server restarted while the run was in progress.');
      } else {
        const sweep = async () => {
          for (const run of await store.claimStaleRuns(instanceId, staleAfterMs)) resume(run.id, run.attempt + 1, 'The instance executing the run stopped.');
        };
        await sweep();
        stopLiveness = startRunLiveness({ store, instanceId, heartbeatMs: config.runHeartbeatMs, hasActiveRuns: () => pool.activeCount > 0, sweep, log });
      }
    }
  };
  const deps = {
    runs, catalog, store, bus, log, executor, pool, metrics,
    limits, schedules, webhookAllowlist,
    config: {
      heartbeatMs: config.heartbeatMs, bodyLimitBytes: config.bodyLimitBytes, requestTimeoutMs: config.requestTimeoutMs, corsOrigins: config.corsOrigins,
      stalledReaderMs: config.stalledReaderMs, maxStreamsPerClient: config.maxStreamsPerClient,
      // With keys configured, scraping /metrics needs the admin key.
      metricsKey: config.adminKey,
      access, bindHost: config.host, allowedHosts: config.allowedHosts, tls, webDir: config.webDir, version: '0.1.0',
    },
  };
  const app = config.role === 'worker' ? await createWorkerApp(deps) : await createApp(deps, [...protocolRoutes, ...(parts.routes ?? [])]);
  mcp?.start(); // in the background: start-up never waits for an MCP server
  // Grace for runs to finish, then half as long again (at most 5 s) for the rest to reach a step boundary.
  const boundaryWaitMs = Math.min(5000, Math.floor(config.shutdownGraceMs / 2));

  return {
    app, runs, store, bus, log, pool, executor, catalog, metrics, schedules, scheduler, webhooks,
    async listen() {
      // Node's default accept backlog (511) overflows when thousands of clients connect at once, and the
      // overflow ends as ECONNRESET on their side (5000 at once: 26% reset); the kernel caps it at somaxconn.
      // Warm up before listening, so `/ready` (and the first request) only reach a warm process.
      await warmUp();
      loadGate.start();
      const address = await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });
      await beginExecuting();
      return address.replace('[::1]', 'localhost');
    },
    /**
     * Shutdown: new starts get 503; running runs get `shutdownGraceMs` to finish, then go back at a step boundary
     * (to another worker, or to this data directory's next start); open streams end cleanly so their clients
     * reconnect and resume. No run that could go on ends `interrupted`.
     */
    async close() {
      await scheduler.close();
      await runs.close();
      // No new job starts here from now on; the runs executing go on (and keep heart-beating) while they drain.
      if (!queue) await executor.close();
      if (worker) await worker.close(config.shutdownGraceMs, boundaryWaitMs, () => log('warn', 'the queue worker did not close in time'));
      else await pool?.drain(config.shutdownGraceMs, boundaryWaitMs);
      stopLiveness();
      pool?.close();
      endOpenSseWriters();
      // Redis may be down at shutdown: its clients' close would wait for a reconnect that never comes.
      await settleWithin(executor.close(), 3000, () => log('warn', 'the run queue did not close in time'));
      loadGate.close();
      await webhooks?.close();
      await mcp?.close();
      await app.close();
      await settleWithin(bus.close(), 3000, () => log('warn', 'the bus did not close in time'));
      await store.close();
      releaseLock();
      limits.runs.close();
      limitsRedis?.disconnect();
      await tracing?.shutdown();
    },
  };
}

/**
 * `AGENTSTREAM_WEBHOOK_ALLOWLIST` and its secret: an allowlist needs `AGENTSTREAM_WEBHOOK_SECRET` in the Standard
 * Webhooks form (`whsec_` + base64), else start-up stops with one line naming what is missing. The secret is never echoed.
 */
function buildWebhookAllowlist(config: ServerConfig): WebhookAllowlist {
  let allowlist: WebhookAllowlist;
  try {
    allowlist = createWebhookAllowlist(config.webhookAllowlist);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  if (allowlist.entries.length > 0 && !config.webhookSecret) {
    throw new StartupError('AGENTSTREAM_WEBHOOK_ALLOWLIST is set but AGENTSTREAM_WEBHOOK_SECRET is not: set it to whsec_ followed by a base64 key (e.g. whsec_$(openssl rand -base64 32)).');
  }
  if (config.webhookSecret) {
    try {
      new Webhook(config.webhookSecret);
    } catch {
      throw new StartupError('AGENTSTREAM_WEBHOOK_SECRET is not a Standard Webhooks secret: it must be whsec_ followed by base64 (e.g. whsec_$(openssl rand -base64 32)).');
    }
  }
  return allowlist;
}

/** `AGENTSTREAM_TLS_CERT` and `AGENTSTREAM_TLS_KEY` (PEM files): both or neither; a file that cannot be read stops start-up. */
function readTls(config: ServerConfig): { cert: Buffer; key: Buffer } | undefined {
  if (!config.tlsCert && !config.tlsKey) return undefined;
  if (!config.tlsCert || !config.tlsKey) throw new ConfigError('Set both AGENTSTREAM_TLS_CERT and AGENTSTREAM_TLS_KEY (PEM files), or neither.');
  const read = (path: string, name: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ConfigError(`${name} ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    }
  };
  return { cert: read(config.tlsCert, 'AGENTSTREAM_TLS_CERT'), key: read(config.tlsKey, 'AGENTSTREAM_TLS_KEY') };
}
