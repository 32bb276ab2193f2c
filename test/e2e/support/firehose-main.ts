import { configFromEnv } from '../../../src/config/server-config.ts';
import { createServer } from '../../../src/create-server.ts';
import { createFirehoseProvider } from './firehose-provider.ts';

// `src/main.ts` plus the SIMULATED `firehose:big` model (FIREHOSE_DELTAS deltas of FIREHOSE_DELTA_CHARS characters),
// so a test can make a large run fast and measure the server in a process of its own (its RSS is the server's alone).
const config = configFromEnv(process.env);
const server = await createServer({ ...config, webDir: undefined }, {
  providers: [createFirehoseProvider({ deltas: Number(process.env.FIREHOSE_DELTAS ?? 1000), deltaChars: Number(process.env.FIREHOSE_DELTA_CHARS ?? 100) })],
});
const url = await server.listen();
// The same line main.ts logs, which start-main.ts waits for.
process.stderr.write(`{"msg":"agentstream listening on ${url}"}\n`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
