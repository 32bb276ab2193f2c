import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeStartupFailure } from './config/describe-startup-failure.ts';
import { loadConfigModule, isConfigModulePath } from './config/load-config-module.ts';
import { ConfigError } from './config/load-config-file.ts';
import { configFromEnv, type ServerConfig } from './config/server-config.ts';
import { StartupError } from './config/startup-error.ts';
import { createServer } from './create-server.ts';

/**
 * What `npm start` and `agentstream serve` do: `.env` in `cwd` (the real environment wins), config from the
 * environment and the flags (`--role all|api|worker`, `--insecure`), the config module (`agentstream.config.ts|.mjs|.js`
 * in `cwd`, or AGENTSTREAM_CONFIG naming one) and the JSON file, then listen until SIGINT/SIGTERM. Start-up failures
 * are one line on stderr and a non-zero exit, never a stack trace: 78 (EX_CONFIG) for configuration, 1 otherwise.
 */
export async function serve(options: { env: Record<string, string | undefined>; cwd?: string; argv?: string[] }): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  let config: ServerConfig | undefined;
  try {
    // Node's loader never overrides a variable the real environment already has.
    if (options.env === process.env && existsSync(join(cwd, '.env'))) process.loadEnvFile(join(cwd, '.env'));
    const { values: flags } = parseArgs({ args: options.argv ?? [], options: { role: { type: 'string' }, insecure: { type: 'boolean' } }, strict: false });
    const env = typeof flags.role === 'string' ? { ...options.env, AGENTSTREAM_ROLE: flags.role } : options.env;
    const modulePath = env.AGENTSTREAM_CONFIG && isConfigModulePath(env.AGENTSTREAM_CONFIG) ? env.AGENTSTREAM_CONFIG : undefined;
    config = configFromEnv(modulePath ? { ...env, AGENTSTREAM_CONFIG: undefined } : env, cwd);
    // `--insecure`: listen on a non-loopback address with no keys (as AGENTSTREAM_INSECURE=1).
    if (flags.insecure === true) config.insecure = true;
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
    if (error instanceof StartupError) {
      process.stderr.write(`agentstream: ${error.message}\n`);
      process.exit(1);
    }
    if (error instanceof ConfigError || (error instanceof TypeError && /^(?:Tool|Agent|Team|Two) /.test(error.message))) {
      process.stderr.write(`agentstream: configuration error: ${error.message}\n`);
      process.exit(78);
    }
    process.stderr.write(`agentstream: cannot start: ${describeStartupFailure(error, { host: config?.host ?? '127.0.0.1', port: config?.port ?? 8000 })}\n`);
    process.exit(1);
  }
}
