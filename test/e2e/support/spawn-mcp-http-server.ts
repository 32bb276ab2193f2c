import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Where the MCP test server program lives, for stdio configs: `{command: process.execPath, args: [MCP_TEST_SERVER]}`. */
export const MCP_TEST_SERVER = fileURLToPath(new URL('./mcp-test-server.ts', import.meta.url));

export type McpHttpProcess = { url: string; port: number; child: ChildProcess; stop(): Promise<void> };

/** Runs the MCP test server over Streamable HTTP in its own process (port 0: any free loopback port). */
export async function spawnMcpHttpServer(port = 0): Promise<McpHttpProcess> {
  const child = spawn(process.execPath, [MCP_TEST_SERVER, '--http', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the MCP test server exited with ${code} before listening`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
