import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createInProcessBus } from './bus/in-process/in-process-bus.ts';
import type { Bus } from './bus/bus.ts';
import { buildCatalog } from './config/build-catalog.ts';
import { loadConfigFile } from './config/load-config-file.ts';
import type { ServerConfig } from './config/server-config.ts';
import { createApp, type RouteModule } from './http/app.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { createDemoProvider } from './models/demo/demo-provider.ts';
import { createModelRegistry, type ModelProvider } from './models/model-registry.ts';
import { RunManager } from './runs/run-manager.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';
import type { Store } from './store/store.ts';
import { createBuiltinTools } from './tools/builtin-tools.ts';
import type { Tool } from './tools/define-tool.ts';
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

export type ServerParts = { store?: Store; bus?: Bus; providers?: ModelProvider[]; tools?: Tool[]; log?: Logger; routes?: RouteModule[] };

/** The composition root below `main.ts`: config -> adapters -> run manager -> app. Tests call it directly. */
export async function createServer(config: ServerConfig, parts: ServerParts = {}): Promise<Server> {
  const log = parts.log ?? createLogger(config.logLevel);
  const file = loadConfigFile(config.configFile);
  const providers = [createDemoProvider({ tokenDelayMs: config.demoTokenDelayMs }), ...(parts.providers ?? [])];
  const models = createModelRegistry({ providers, defaultModel: config.defaultModel ?? file.defaultModel });
  const tools = [...createBuiltinTools(), ...(parts.tools ?? [])];
  const catalog = buildCatalog({ file, tools, models });
  const store = parts.store ?? createSqliteStore({ file: config.databaseFile ?? join(config.dataDir, 'agentstream.db') });
  const bus = parts.bus ?? createInProcessBus();
  const runs = new RunManager({ store, bus, catalog, log, maxConcurrentRuns: config.maxConcurrentRuns, defaultTimeoutMs: config.runTimeoutMs });
  await runs.recoverInterruptedRuns();
  const deps = {
    runs, catalog, store, bus, log,
    config: { heartbeatMs: config.heartbeatMs, bodyLimitBytes: config.bodyLimitBytes, corsOrigins: config.corsOrigins, apiKey: config.apiKey, webDir: config.webDir, version: '0.1.0' },
  };
  const app = await createApp(deps, [...protocolRoutes, ...(parts.routes ?? [])]);

  return {
    app, runs, store, bus, log,
    async listen() {
      const address = await app.listen({ host: config.host, port: config.port });
      return address.replace('[::1]', 'localhost');
    },
    async close() {
      await runs.close();
      await app.close();
      await bus.close();
      await store.close();
    },
  };
}
