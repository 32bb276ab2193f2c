import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from './config/load-config-file.ts';
import { configFromEnv, type ServerConfig } from './config/server-config.ts';
import { createServer } from './create-server.ts';
import { describeStartupFailure } from './config/describe-startup-failure.ts';
import { StartupError } from './config/startup-error.ts';

// The only place that reads the environment and the process: everything below receives its config.
// `.env` in the working directory first, as the seed documents tell users to keep their keys there; a variable
// already set in the real environment wins (Node's loader never overrides one).
let config: ServerConfig | undefined;
try {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // `--role all|api|worker` (what `agentstream serve --role` passes on) wins over AGENTSTREAM_ROLE.
  const { values: flags } = parseArgs({ options: { role: { type: 'string' } }, strict: false });
  config = configFromEnv(typeof flags.role === 'string' ? { ...process.env, AGENTSTREAM_ROLE: flags.role } : process.env);
  // `--insecure`: listen on a non-loopback address with no keys (as AGENTSTREAM_INSECURE=1).
  if (process.argv.includes('--insecure')) config.insecure = true;
  const server = await createServer(config);
  const url = await server.listen();
  server.log('info', `agentstream listening on ${url}`, { ui: `${url}/`, docs: `${url}/docs`, store: server.store.kind, bus: server.bus.kind });
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
  // One line on stderr and a non-zero exit, never a stack trace: 78 (EX_CONFIG) for configuration, 1 otherwise.
  if (error instanceof StartupError) {
    process.stderr.write(`agentstream: ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`agentstream: configuration error: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`agentstream: cannot start: ${describeStartupFailure(error, { host: config?.host ?? '127.0.0.1', port: config?.port ?? 8000 })}\n`);
  process.exit(1);
}
