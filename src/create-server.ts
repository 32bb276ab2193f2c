import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { createInProcessBus } from './bus/in-process/in-process-bus.ts';
import { createRedisBus } from './bus/redis/redis-bus.ts';
import type { Bus } from './bus/bus.ts';
import { buildCatalog } from './config/build-catalog.ts';
import { ConfigError, loadConfigFile } from './config/load-config-file.ts';
import type { ServerConfig } from './config/server-config.ts';
import { createApp, type RouteModule } from './http/app.ts';
import { assertSafeBind, buildAccess } from './http/access/build-access.ts';
import { createRequestLimits } from './http/access/request-limits.ts';
import { createRunLimits } from './http/access/run-limits.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { createDemoProvider } from './models/demo/demo-provider.ts';
import { createProviders } from './models/create-providers.ts';
import { createModelRegistry, type ModelProvider } from './models/model-registry.ts';
import { createPriceUsage } from './models/price-table.ts';
import { RunManager } from './runs/run-manager.ts';
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

export type ServerParts = { store?: Store; bus?: Bus; providers?: ModelProvider[]; tools?: Tool[]; log?: Logger; routes?: RouteModule[] };

/** The composition root below `main.ts`: config -> adapters -> run manager -> app. Tests call it directly. */
export async function createServer(config: ServerConfig, parts: ServerParts = {}): Promise<Server> {
  const log = parts.log ?? createLogger(config.logLevel);
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
  // Per-key limits live in Redis when there is one, so every instance counts against the same quota.
  const limitsRedis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectionName: 'agentstream:limits' }) : undefined;
  limitsRedis?.on('error', () => {}); // the limiters fall back to memory while Redis is away
  const limitsPrefix = `${config.redisChannelPrefix}:limits`;
  const limits = { countRequest: createRequestLimits({ redis: limitsRedis, keyPrefix: limitsPrefix }), runs: createRunLimits({ redis: limitsRedis, keyPrefix: limitsPrefix }) };
  const runs = new RunManager({
    admit: limits.runs.admit,
    store, bus, catalog, log, maxConcurrentRuns: config.maxConcurrentRuns, defaultTimeoutMs: config.runTimeoutMs, priceUsage,
    liveness: { heartbeatMs: config.runHeartbeatMs, staleAfterMs: config.runStaleAfterMs }, followResyncMs: config.followResyncMs,
  });
  await runs.recoverInterruptedRuns();
  const deps = {
    runs, catalog, store, bus, log,
    limits,
    config: {
      heartbeatMs: config.heartbeatMs, bodyLimitBytes: config.bodyLimitBytes, requestTimeoutMs: config.requestTimeoutMs, corsOrigins: config.corsOrigins,
      access, bindHost: config.host, allowedHosts: config.allowedHosts, tls, webDir: config.webDir, version: '0.1.0',
    },
  };
  const app = await createApp(deps, [...protocolRoutes, ...(parts.routes ?? [])]);
  mcp?.start(); // in the background: start-up never waits for an MCP server

  return {
    app, runs, store, bus, log,
    async listen() {
      // Node's default accept backlog (511) overflows when thousands of clients connect at once, and the
      // overflow ends as ECONNRESET on their side (5000 at once: 26% reset); the kernel caps it at somaxconn.
      const address = await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });
      setImmediate(warmCalculator);
      return address.replace('[::1]', 'localhost');
    },
    async close() {
      await runs.close();
      await mcp?.close();
      await app.close();
      await bus.close();
      await store.close();
      limits.runs.close();
      limitsRedis?.disconnect();
    },
  };
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
