import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createInProcessBus } from './bus/in-process/in-process-bus.ts';
import { createRedisBus } from './bus/redis/redis-bus.ts';
import type { Bus } from './bus/bus.ts';
import { buildCatalog } from './config/build-catalog.ts';
import { loadConfigFile } from './config/load-config-file.ts';
import type { ServerConfig } from './config/server-config.ts';
import { createApp, type RouteModule } from './http/app.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { createDemoProvider } from './models/demo/demo-provider.ts';
import { createProviders } from './models/create-providers.ts';
import { createModelRegistry, type ModelProvider } from './models/model-registry.ts';
import { createPriceUsage } from './models/price-table.ts';
import { RunManager } from './runs/run-manager.ts';
import { LoadGate, type LoadProbe } from './runs/load-gate.ts';
import { openSseWriterCount } from './http/sse-writer.ts';
import { createPostgresStore } from './store/postgres/postgres-store.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';
import type { Store } from './store/store.ts';
import { createBuiltinTools } from './tools/builtin-tools.ts';
import { warmCalculator } from './tools/calculator.ts';
import type { Tool } from './tools/define-tool.ts';
import { McpHub } from './tools/mcp/mcp-hub.ts';
import { protocolRoutes } from './protocols/protocol-routes.ts';

export type Server = {
  app: FastifyInstance;
  runs: RunManager;
  store: Store;
  bus: Bus;
  log: Logger;
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
  const log = parts.log ?? createLogger(config.logLevel);
  const file = loadConfigFile(config.configFile);
  const realProviders = createProviders({
    env: config.env,
    config: file.raw.providers,
    faults: { maxRetries: config.modelMaxRetries, retryBaseDelayMs: config.modelRetryBaseDelayMs, retryMaxDelayMs: config.modelRetryMaxDelayMs, stallTimeoutMs: config.stallTimeoutMs },
    log,
  });
  const providers = [createDemoProvider({ tokenDelayMs: config.demoTokenDelayMs }), ...realProviders, ...(parts.providers ?? [])];
  const models = createModelRegistry({ providers, defaultModel: config.defaultModel ?? file.defaultModel });
  const tools = [...createBuiltinTools(), ...(parts.tools ?? [])];
  const mcpServers = file.raw.mcpServers ?? [];
  const mcp = mcpServers.length > 0 ? new McpHub({ servers: mcpServers, log, connectTimeoutMs: config.mcpConnectTimeoutMs, callTimeoutMs: config.mcpCallTimeoutMs }) : undefined;
  const catalog = buildCatalog({ file, tools, models, mcp });
  const priceUsage = file.raw.prices ? createPriceUsage(file.raw.prices, models.normalize) : undefined;
  // DATABASE_URL / REDIS_URL pick the adapters several instances share; unset, one process embeds both.
  const store = parts.store ?? (config.databaseUrl
    ? await createPostgresStore({ connectionString: config.databaseUrl })
    : createSqliteStore({ file: config.databaseFile ?? join(config.dataDir, 'agentstream.db') }));
  const bus = parts.bus ?? (config.redisUrl ? await createRedisBus({ url: config.redisUrl, channelPrefix: config.redisChannelPrefix, log }) : createInProcessBus());
  const loadGate = new LoadGate({
    maxEventLoopDelayMs: config.maxEventLoopDelayMs, maxOpenStreams: config.maxOpenStreams, openStreams: openSseWriterCount, probe: parts.loadProbe,
  });
  const runs = new RunManager({
    store, bus, catalog, log, maxConcurrentRuns: config.maxConcurrentRuns, defaultTimeoutMs: config.runTimeoutMs, priceUsage,
    liveness: { heartbeatMs: config.runHeartbeatMs, staleAfterMs: config.runStaleAfterMs }, followResyncMs: config.followResyncMs, loadGate,
  });
  await runs.recoverInterruptedRuns();
  const deps = {
    runs, catalog, store, bus, log,
    config: { heartbeatMs: config.heartbeatMs, bodyLimitBytes: config.bodyLimitBytes, requestTimeoutMs: config.requestTimeoutMs, stalledReaderMs: config.stalledReaderMs, maxStreamsPerClient: config.maxStreamsPerClient, corsOrigins: config.corsOrigins, apiKey: config.apiKey, webDir: config.webDir, version: '0.1.0' },
  };
  const app = await createApp(deps, [...protocolRoutes, ...(parts.routes ?? [])]);
  mcp?.start(); // in the background: start-up never waits for an MCP server

  return {
    app, runs, store, bus, log,
    async listen() {
      // Node's default accept backlog (511) overflows when thousands of clients connect at once, and the
      // overflow ends as ECONNRESET on their side (5000 at once: 26% reset); the kernel caps it at somaxconn.
      // Warm up before listening, so `/ready` (and the first request) only reach a warm process.
      await warmUp();
      loadGate.start();
      const address = await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });
      return address.replace('[::1]', 'localhost');
    },
    async close() {
      await runs.close();
      loadGate.close();
      await mcp?.close();
      await app.close();
      await bus.close();
      await store.close();
    },
  };
}
