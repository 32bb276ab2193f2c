/** What a bench server reports about itself: CPU since start (µs) and memory (bytes). */
export type ServerStats = {
  cpuMicros: number;
  userMicros: number;
  systemMicros: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
};

/** The bench-only stats route's path on every server. */
export const STATS_PATH = '/__bench/stats';

/** agentstream's bench server only: `POST <path>/start`, `POST <path>/stop?name=` write a CPU profile of the window. */
export const PROFILE_PATH = '/__bench/profile';

/**
 * Reads the process's own `cpuUsage()` and `memoryUsage()`. With `collect`, runs a full GC first
 * (the server must run with `--expose-gc`) so heap figures compare live objects, not garbage.
 */
export function readServerStats(options: { collect: boolean }): ServerStats {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (options.collect && gc) {
    gc();
    gc();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMicros: cpu.user + cpu.system,
    userMicros: cpu.user,
    systemMicros: cpu.system,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
  };
}

/** `127.0.0.1` and the port from `BENCH_PORT` (0 picks a free one). */
export function listenAddress(): { host: string; port: number } {
  return { host: '127.0.0.1', port: Number(process.env.BENCH_PORT ?? 0) };
}

/** The one line the orchestrator waits for on a server's stdout. */
export function announceReady(url: string): void {
  process.stdout.write(`READY ${url}\n`);
}
