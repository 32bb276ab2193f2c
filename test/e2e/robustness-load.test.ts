import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createInProcessBus } from '../../src/bus/in-process/in-process-bus.ts';
import { assertWellFormedRun } from './support/assert-run.ts';
import { expectIdle } from './support/server-idle.ts';
import { streamRunEvents } from './support/stream-events.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

// Many paced streams at once over a pool of keep-alive connections: every one completes, gapless and well
// formed, none is refused or cut, and the connections are reused afterwards. (undici is not installed here, so
// the pool is node:http's Agent; figures for larger runs are in the robustness report, not asserted.)

const STREAMS = 1000;
const SECOND_ROUND = 300;

describe('robustness: a thousand concurrent streams', () => {
  let server: TestServer;
  const bus = createInProcessBus();
  before(async () => {
    // One load generator is one address but stands for many clients, and this test asserts that none is refused:
    // the per-client and load-shedding bounds (tested in robustness-limits.test.ts) are off.
    server = await startTestServer({ demoTokenDelayMs: 5, maxConcurrentRuns: STREAMS * 2, maxStreamsPerClient: 0, maxEventLoopDelayMs: 0 }, { bus });
  });
  after(() => server.close());

  it(`${STREAMS} paced streams at once, then ${SECOND_ROUND} more on the same keep-alive connections`, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: STREAMS, maxFreeSockets: STREAMS });
    const signal = AbortSignal.timeout(110_000);
    // One in ten asks the tool-using agent, so tool events are in the mix.
    const body = (index: number) => (index % 10 === 0 ? { agent: 'assistant', input: `What is ${index} * 7?` } : { agent: 'chat', input: `Tell me about streams, number ${index}` });
    const round = (count: number) => Promise.all(Array.from({ length: count }, (_, index) => streamRunEvents(server.url, { agent, body: body(index), signal }).catch((error: Error) => {
      throw new Error(`stream ${index}: ${error.message}`);
    })));
    try {
      const first = await round(STREAMS);
      const runIds = new Set<string>();
      for (const events of first) {
        assertWellFormedRun(events);
        assert.equal(events.at(-1)!.type, 'run.completed');
        runIds.add(events[0].runId);
      }
      assert.equal(runIds.size, STREAMS, 'every stream had its own run');

      let connections = 0;
      const countConnection = () => (connections += 1);
      server.server.app.server.on('connection', countConnection);
      const second = await round(SECOND_ROUND);
      server.server.app.server.off('connection', countConnection);
      for (const events of second) assertWellFormedRun(events);
      assert.equal(connections, 0, 'the second round reused the first round\'s keep-alive connections');
    } finally {
      agent.destroy();
    }
    await expectIdle(server, bus, 'after the load');
  });
});
