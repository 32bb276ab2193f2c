import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HANG_GUARD_MS } from './support/check-answer.ts';
import { startMain } from './support/main-process.ts';
import { sendRaw } from './support/raw-http.ts';

// The first requests after start used to wait ~1 s: the calculator's mathjs was loaded right after the server began
// listening, blocking the event loop just as requests arrived. The process now warms up before it listens, so the first
// answer it gives (`/ready` included) comes from a warm process. Loose on purpose: timing targets are in bench/.

async function timed(url: string, path: string): Promise<number> {
  const startedAt = performance.now();
  const response = await sendRaw(url, { method: 'GET', path, signal: AbortSignal.timeout(HANG_GUARD_MS) });
  assert.equal(response.status, 200);
  return performance.now() - startedAt;
}

describe('warm start (src/main.ts)', () => {
  it('the first /ready after the server listens is not held up by a warm-up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agentstream-warm-'));
    const main = await startMain({ AGENTSTREAM_DATA_DIR: dataDir });
    try {
      const first = await timed(main.url, '/ready');
      const later: number[] = [];
      for (let index = 0; index < 5; index += 1) later.push(await timed(main.url, '/ready'));
      const typical = later.sort((a, b) => a - b)[2];
      // A cold process answered its first request ~1 s late here (mathjs); a warm one in a few ms.
      assert.ok(first < Math.max(400, typical * 20), `the first /ready took ${Math.round(first)} ms, later ones ${Math.round(typical)} ms`);
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
