import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig } from '../../../src/config/server-config.ts';
import type { RunEvent } from '../../../src/events/run-event.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { collectRunEvents, postJson } from './sse.ts';
import { startTestServer, type TestServer } from './test-server.ts';

export type ProviderTestServer = TestServer & {
  /** Every log line the server wrote (level debug and up), for checking that secrets never appear. */
  logs: string[];
  /** Starts a run and reads its native SSE stream to the end. */
  run(body: Record<string, unknown>): Promise<RunEvent[]>;
};

/**
 * The real server with provider settings from `env` (keys, base URLs) and, when given, a config file
 * (`providers`, `prices`, `mcpServers`, agents). Logs are captured instead of printed.
 */
export async function startProviderServer(options: { env?: Record<string, string>; config?: unknown; overrides?: Partial<ServerConfig> } = {}): Promise<ProviderTestServer> {
  const folder = mkdtempSync(join(tmpdir(), 'agentstream-providers-'));
  let configFile: string | undefined;
  if (options.config !== undefined) {
    configFile = join(folder, 'agentstream.config.json');
    writeFileSync(configFile, JSON.stringify(options.config, null, 2));
  }
  const logs: string[] = [];
  let server: TestServer;
  try {
    server = await startTestServer(
      { env: { LOG_LEVEL: 'debug', ...options.env }, configFile, ...options.overrides },
      { log: createLogger('debug', (line) => logs.push(line)) },
    );
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    ...server,
    logs,
    run: async (body) => collectRunEvents(await postJson(`${server.url}/v1/runs`, body)),
    async close(closeOptions) {
      await server.close(closeOptions);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** The stream's invariants: seq 1, 2, 3… without gaps, exactly one terminal event, and it is the last. */
export function assertWellFormed(events: RunEvent[]): void {
  events.forEach((event, index) => assert.equal(event.seq, index + 1, `event ${index} has seq ${index + 1}`));
  const terminals = events.filter((event) => event.type === 'run.completed' || event.type === 'run.failed' || event.type === 'run.cancelled');
  assert.equal(terminals.length, 1, 'exactly one terminal event');
  assert.equal(events.at(-1), terminals[0], 'the terminal event is the last');
}

/** The events of one type, narrowed. */
export function eventsOf<T extends RunEvent['type']>(events: RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);
}
