import { loadConfigModule, isConfigModulePath } from './config/load-config-module.ts';
import { ConfigError } from './config/load-config-file.ts';
import { configFromEnv } from './config/server-config.ts';
import { createServer } from './create-server.ts';

/**
 * What `npm start` and `agentstream serve` do: config from the environment, the config module
 * (`agentstream.config.ts|.mjs|.js` in `cwd`, or AGENTSTREAM_CONFIG naming one) and the JSON file, then listen
 * until SIGINT/SIGTERM. A configuration error exits with 78 and the message.
 */
export async function serve(options: { env: Record<string, string | undefined>; cwd?: string }): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  try {
    const modulePath = options.env.AGENTSTREAM_CONFIG && isConfigModulePath(options.env.AGENTSTREAM_CONFIG) ? options.env.AGENTSTREAM_CONFIG : undefined;
    const config = configFromEnv(modulePath ? { ...options.env, AGENTSTREAM_CONFIG: undefined } : options.env, cwd);
    const loaded = await loadConfigModule(modulePath, cwd);
    const server = await createServer(config, loaded ? { app: loaded.app, appSource: loaded.path } : {});
    const url = await server.listen();
    server.log('info', `agentstream listening on ${url}`, { ui: `${url}/`, docs: `${url}/docs`, store: server.store.kind, bus: server.bus.kind, role: config.role, ...(loaded ? { configModule: loaded.path } : {}) });
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      server.log('info', `received ${signal}, shutting down`);
      await server.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof TypeError && /^(?:Tool|Agent|Team|Two) /.test(error.message))) {
      process.stderr.write(`agentstream: configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
