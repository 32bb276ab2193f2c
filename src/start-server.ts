import type { AppDefinition } from './config/define-app.ts';
import { configFromEnv, type ServerConfig } from './config/server-config.ts';
import { createServer as createServerFromConfig, type Server } from './create-server.ts';

/** `createServer`'s options: your agents, teams and tools, plus any server setting (the rest come from the environment). */
export type CreateServerOptions = AppDefinition & Partial<Omit<ServerConfig, 'env'>> & { env?: Record<string, string | undefined> };

/**
 * The public way to run agentstream from code: the same server `npm start` runs, with your own
 * agents, teams and tools next to the built-ins. Call `listen()` on the result to serve.
 */
export async function createServer(options: CreateServerOptions = {}): Promise<Server> {
  const { tools, agents, teams, env = process.env, ...overrides } = options;
  const config: ServerConfig = { ...configFromEnv(env), ...overrides };
  return createServerFromConfig(config, { app: { tools, agents, teams }, appSource: 'createServer()' });
}
