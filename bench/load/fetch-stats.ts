import { get, request } from 'node:http';
import type { ServerStats } from '../servers/bench-stats.ts';
import { PROFILE_PATH, STATS_PATH } from '../servers/bench-stats.ts';

/** The server's own CPU and memory figures, read from its bench-only stats route (`collect`: after a full GC). */
export function fetchStats(host: string, port: number, options: { collect: boolean }): Promise<ServerStats> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: `${STATS_PATH}${options.collect ? '?gc=1' : ''}`, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text) as ServerStats);
        } catch (error) {
          reject(new Error(`stats: HTTP ${res.statusCode}: ${text.slice(0, 200)} (${String(error)})`));
        }
      });
    });
    req.setTimeout(120_000, () => req.destroy(new Error('stats request timed out')));
    req.on('error', reject);
  });
}

/** Starts or stops the agentstream bench server's CPU profiler (`--profile`); `stop` writes `<name>.cpuprofile`. */
export function postProfiler(host: string, port: number, action: 'start' | 'stop', name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method: 'POST', path: `${PROFILE_PATH}/${action}?name=${encodeURIComponent(name)}`, agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`profiler ${action}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}
