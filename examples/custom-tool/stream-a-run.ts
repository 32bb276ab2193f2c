// Starts agentstream from code with this folder's tool and agent, streams one run with the client, stops.
//   node examples/custom-tool/stream-a-run.ts "reverse_text: hello world"
import { createServer } from 'agentstream';
import { AgentstreamClient } from '../../client/index.ts';
import config from './agentstream.config.ts';

const message = process.argv[2] ?? 'Please use reverse_text: stressed desserts';
const server = await createServer({ ...config, port: 0, databaseFile: ':memory:', webDir: undefined, logLevel: 'silent' });
const url = await server.listen();
const client = new AgentstreamClient({ baseUrl: url });
try {
  for await (const event of client.runs.stream({ agent: 'reverser', input: message })) {
    if (event.type === 'tool.completed') console.log(`tool ${event.toolName} -> ${JSON.stringify(event.result)}`);
    if (event.type === 'run.completed') console.log(`answer: ${event.output}`);
    if (event.type === 'run.failed') console.log(`failed: ${event.error.message}`);
  }
} finally {
  await server.close();
}
