import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromEnv, type ServerConfig } from '../../../src/config/server-config.ts';
import { createServer, type Server, type ServerParts } from '../../../src/create-server.ts';

export type TestServer = { url: string; server: Server; dataDir: string; config: ServerConfig; close(options?: { keepData?: boolean }): Promise<void> };

/** The real server on an ephemeral loopback port, with its own SQLite file in a temp folder. */
export async function startTestServer(overrides: Partial<ServerConfig> = {}, parts: ServerParts = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'agentstream-test-'));
  const config: ServerConfig = {
    ...configFromEnv({ LOG_LEVEL: 'silent' }),
    port: 0,
    dataDir,
    demoTokenDelayMs: 0,
    webDir: undefined,
    // Tests close servers with runs still going: hand them back at once instead of waiting for them.
    shutdownGraceMs: 0,
    ...overrides,
  };
  const server = await createServer(config, parts);
  const url = await server.listen();
  return {
    url, server, dataDir, config,
    async close(options = {}) {
      await server.close();
      if (!options.keepData && !overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
