import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { redisSkipReason, TEST_REDIS_URL } from '../../src/bus/redis/redis-test-connection.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from '../../src/store/postgres/postgres-test-database.ts';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { ServerParts } from '../../src/create-server.ts';
import { createGatedProvider } from './support/gated-provider.ts';
import { collectRunEvents } from './support/sse.ts';
import { systemAgentOf } from '../../src/events/run-event.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/**
 * The instance that ended a run dies before it starts the run its session was handed to (double-texting `enqueue`):
 * the end is stored, the submit never happens. The next start (embedded) or the queue's reconciler must start it.
 * Written straight to the store, as that instance would have left it: the session's run, a run waiting behind it,
 * and the first one's end (which hands the session over), with no server running to submit anything.
 */
async function strandAndRecover(start: (parts: ServerParts) => Promise<TestServer>, openStore: () => Promise<Store> | Store) {
  const sessionId = `ses_stranded_${randomBytes(3).toString('hex')}`;
  const target = { kind: 'agent' as const, id: 'chat' };
  const store = await openStore();
  const create = (id: string, input: string, sessionClaim: 'exclusive' | 'enqueue') => store.createRun({
    id, target, sessionId, model: 'gate:echo', input, metadata: null, spec: { sessionHistory: true }, sessionClaim,
    started: { type: 'run.started', target, input: { text: input, sessionId, model: 'gate:echo' }, model: 'gate:echo', agent: systemAgentOf(target), runId: id, seq: 1, ts: new Date().toISOString() },
  });
  const first = await create(`run_stranded_1_${sessionId}`, 'stranded one', 'exclusive');
  const waiting = await create(`run_stranded_2_${sessionId}`, 'stranded two', 'enqueue');
  assert.equal(waiting.sessionWaiting, true);
  await store.endRun(first.id, { status: 'cancelled' });
  assert.equal((await store.getSession(sessionId))?.activeRunId, waiting.id, 'the end handed the session over');
  assert.equal((await store.getRun(waiting.id))?.status, 'queued', 'and nobody started the waiting run');
  await store.close();

  const gate = createGatedProvider();
  const server = await start({ providers: [gate.provider] });
  try {
    const events = await collectRunEvents(await fetch(`${server.url}/v1/runs/${waiting.id}/events`));
    assert.equal(events.at(-1)?.type, 'run.completed');
    assert.equal((await gate.whenCalled('stranded two')).input, 'stranded two');
  } finally {
    await server.close();
  }
}

const skip = (await postgresSkipReason()) ?? (await redisSkipReason());
const schema = uniqueTestSchema('sessionsrecovery');
after(() => (skip ? undefined : dropTestSchema(schema)));

describe('a run handed its session is started even when the instance that ended the run before it died', { timeout: 60_000 }, () => {
  it('embedded: the next start runs it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sessions-recovery-'));
    try {
      await strandAndRecover((parts) => startTestServer({ dataDir }, parts), () => createSqliteStore({ file: join(dataDir, 'agentstream.db') }));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('queue shape: the reconciler submits it', { skip }, async () => {
    const prefix = `agentstream-sessions-recovery-${process.pid}-${randomBytes(4).toString('hex')}`;
    await strandAndRecover(async (parts) => startTestServer(
      { redisUrl: TEST_REDIS_URL, redisChannelPrefix: prefix, runHeartbeatMs: 50, runStaleAfterMs: 200 },
      { ...parts, store: await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema }) },
    ), () => createPostgresStore({ connectionString: TEST_DATABASE_URL, schema }));
  });
});
