import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createInProcessBus } from './bus/in-process/in-process-bus.ts';
import { createRedisBus } from './bus/redis/redis-bus.ts';
import type { Bus } from './bus/bus.ts';
import { buildCatalog } from './config/build-catalog.ts';
import { resolveApp, type AppDefinition } from './config/define-app.ts';
import { ConfigError, loadConfigFile } from './config/load-config-file.ts';
import type { ServerConfig } from './config/server-config.ts';
import { createApp, type RouteModule } from './http/app.ts';
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

export type ServerParts = {
  store?: Store; bus?: Bus; providers?: ModelProvider[]; tools?: Tool[]; log?: Logger; routes?: RouteModule[];
  /** Agents, teams and tools defined in code (`createServer` from the public entry, `agentstream.config.ts`); `appSource` names where. */
  app?: AppDefinition; appSource?: string;
};

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
  const store = parts.store ?? (config.databaseUrl
    ? await createPostgresStore({ connectionString: config.databaseUrl })
    : createSqliteStore({ file: config.databaseFile ?? join(config.dataDir, 'agentstream.db') }));
  const bus = parts.bus ?? (config.redisUrl ? await createRedisBus({ url: config.redisUrl, channelPrefix: config.redisChannelPrefix, log }) : createInProcessBus());
  const runs = new RunManager({
    store, bus, catalog, log, maxConcurrentRuns: config.maxConcurrentRuns, defaultTimeoutMs: config.runTimeoutMs, priceUsage,
    liveness: { heartbeatMs: config.runHeartbeatMs, staleAfterMs: config.runStaleAfterMs }, followResyncMs: config.followResyncMs,
  });
  await runs.recoverInterruptedRuns();
  const deps = {
    runs, catalog, store, bus, log,
    config: { heartbeatMs: config.heartbeatMs, bodyLimitBytes: config.bodyLimitBytes, requestTimeoutMs: config.requestTimeoutMs, corsOrigins: config.corsOrigins, apiKey: config.apiKey, webDir: config.webDir, version: '0.1.0' },
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
    },
  };
}
