import { parseArgs } from 'node:util';
import { ConfigError } from './config/load-config-file.ts';
import { configFromEnv } from './config/server-config.ts';
import { StartupError } from './config/startup-error.ts';
import { createServer } from './create-server.ts';

// The only place that reads the environment and the process: everything below receives its config.
try {
  // `--role all|api|worker` (what `agentstream serve --role` passes on) wins over AGENTSTREAM_ROLE.
  const { values: flags } = parseArgs({ options: { role: { type: 'string' } }, strict: false });
  const config = configFromEnv(typeof flags.role === 'string' ? { ...process.env, AGENTSTREAM_ROLE: flags.role } : process.env);
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
  if (error instanceof StartupError) {
    process.stderr.write(`agentstream: ${error.message}\n`);
    process.exit(1);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`agentstream: configuration error: ${error.message}\n`);
    process.exit(78);
  }
  throw error;
}
