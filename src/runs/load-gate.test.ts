import assert from 'node:assert/strict';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { it } from 'node:test';
import { AppError } from '../errors/app-error.ts';
import { LoadGate } from './load-gate.ts';

function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a busy loop on purpose: this is what an overloaded event loop looks like
  }
}

it('refuses with 503 overloaded while the event loop is behind all the time, not for one long pause', async () => {
  const gate = new LoadGate({ maxEventLoopDelayMs: 20, maxOpenStreams: 0, openStreams: () => 0 });
  gate.start();
  try {
    gate.check();
    // One long pause among many quick turns: the median stays low.
    blockFor(200);
    for (let turn = 0; turn < 30; turn += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    gate.check();
    // Every turn slow: once a whole window has been slow (one to two seconds), the median delay is past the bound.
    let refused: unknown;
    const giveUpAt = performance.now() + 5000;
    while (!refused && performance.now() < giveUpAt) {
      blockFor(60);
      await yieldToLoop();
      try {
        gate.check();
      } catch (error) {
        refused = error;
      }
    }
    assert.ok(refused instanceof AppError && refused.code === 'overloaded' && refused.headers?.['retry-after'] === '1', `refused: ${String(refused)}`);
  } finally {
    gate.close();
  }
});

it('refuses past the open-streams bound', () => {
  let open = 1;
  const gate = new LoadGate({ maxEventLoopDelayMs: 0, maxOpenStreams: 2, openStreams: () => open });
  gate.check();
  open = 2;
  assert.throws(() => gate.check(), /2 streams are open \(limit 2\)/);
});
