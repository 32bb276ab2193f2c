import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NewRun, RunRecord, ScheduleRecord, Store } from './store.ts';

/**
 * Webhook deliveries and schedules, part of every Store's contract (called inside `describeStoreContract`).
 * `newRun` creates a run with a unique id.
 */
export function describeLifecycleContract(name: string, open: () => Promise<Store>, newRun: (store: Store, overrides?: Partial<NewRun>) => Promise<RunRecord>) {
  it('queues a run\'s webhook with its end, once, and only for runs that name one', async () => {
    const store = await open();
    const hooked = await newRun(store, { spec: { webhook: { url: 'http://127.0.0.1:9/hook' } } });
    const plain = await newRun(store);
    await store.claimRun(hooked.id, 'worker_1');
    await store.appendEvents(hooked.id, [], { status: 'completed', output: 'done' }, 1);
    // An end written again (a retried write) queues nothing more.
    await store.endRun(hooked.id, { status: 'completed', output: 'done' });
    await store.endRun(plain.id, { status: 'failed' });
    const delivery = await store.getWebhookDelivery(hooked.id);
    assert.deepEqual({ ...delivery, createdAt: undefined, nextAttemptAt: undefined }, {
      runId: hooked.id, messageId: `msg_${hooked.id}`, url: 'http://127.0.0.1:9/hook', eventType: 'run.completed', status: 'pending', attempts: [], createdAt: undefined, nextAttemptAt: undefined,
    });
    assert.equal(await store.getWebhookDelivery(plain.id), undefined);
  });

  it('queues the webhook of a run that ends while paused for input (cancelled, expired), and none while it is paused', async () => {
    const store = await open();
    const run = await newRun(store, { spec: { webhook: { url: 'http://127.0.0.1:9/hook' } } });
    await store.claimRun(run.id, 'worker_1');
    const agent = { id: 'assistant', name: 'Assistant', role: 'agent' as const, path: [] };
    const at = new Date().toISOString();
    await store.pauseRun(run.id, [{ type: 'run.awaiting_input', pending: [], expiresAt: null, runId: run.id, seq: 1, ts: at, agent }], 1, null);
    assert.equal(await store.getWebhookDelivery(run.id), undefined, 'a pause is not an end');
    assert.equal(await store.appendToPausedRun(run.id, [{ type: 'run.cancelled', reason: 'stop', runId: run.id, seq: 2, ts: at, agent }], 1, { status: 'cancelled' }), true);
    assert.equal((await store.getWebhookDelivery(run.id))?.eventType, 'run.cancelled');
  });

  it('hands a due delivery to one claimer, records attempts in order and stops when told', async () => {
    const store = await open();
    const run = await newRun(store, { spec: { webhook: { url: 'http://127.0.0.1:9/hook' } } });
    await store.endRun(run.id, { status: 'cancelled' });
    const now = new Date(Date.now() + 1000).toISOString();
    const [first, second] = await Promise.all([store.claimDueWebhooks(now, 60_000, 1000), store.claimDueWebhooks(now, 60_000, 1000)]);
    const claims = [...first, ...second].filter((delivery) => delivery.runId === run.id);
    assert.equal(claims.length, 1, 'claimed once');
    assert.equal(claims[0].eventType, 'run.cancelled');
    assert.equal((await store.claimDueWebhooks(now, 60_000, 1000)).some((delivery) => delivery.runId === run.id), false, 'held while claimed');
    const retryAt = new Date(Date.parse(now) + 5000).toISOString();
    await store.recordWebhookAttempt(run.id, { attempt: 1, at: now, durationMs: 12, statusCode: 500, error: null }, { status: 'pending', nextAttemptAt: retryAt });
    assert.equal((await store.claimDueWebhooks(now, 60_000, 1000)).some((delivery) => delivery.runId === run.id), false, 'not due before its retry time');
    assert.equal((await store.claimDueWebhooks(retryAt, 60_000, 1000)).some((delivery) => delivery.runId === run.id), true, 'due at its retry time');
    await store.recordWebhookAttempt(run.id, { attempt: 2, at: retryAt, durationMs: 3, statusCode: 204, error: null }, { status: 'delivered' });
    const delivery = await store.getWebhookDelivery(run.id);
    assert.equal(delivery?.status, 'delivered');
    assert.equal(delivery?.nextAttemptAt, null);
    assert.deepEqual(delivery?.attempts.map((attempt) => [attempt.attempt, attempt.statusCode]), [[1, 500], [2, 204]]);
  });

  it('keeps schedules per tenant, lists due ones and fires a slot once', async () => {
    const store = await open();
    const id = `sch_${name}_${process.pid}_${Date.now()}`;
    const slot = '2030-01-01T00:05:00.000Z';
    const schedule: ScheduleRecord = {
      id, tenant: 'acme', target: { kind: 'agent', id: 'assistant' }, input: 'hi', cron: '*/5 * * * *', timezone: 'UTC', sessionId: null,
      enabled: true, nextRunAt: slot, lastRunAt: null, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z',
    };
    await store.createSchedule(schedule);
    assert.deepEqual(await store.getSchedule(id, 'acme'), schedule);
    assert.equal(await store.getSchedule(id, 'other'), undefined, 'another tenant\'s schedule reads as missing');
    assert.deepEqual((await store.listSchedules('acme')).map((entry) => entry.id), [id]);
    assert.equal((await store.listSchedules('other')).some((entry) => entry.id === id), false);
    assert.equal((await store.listDueSchedules('2030-01-01T00:04:59.999Z', 1000)).some((entry) => entry.id === id), false);
    assert.equal((await store.listDueSchedules(slot, 1000)).some((entry) => entry.id === id), true);

    const next = '2030-01-01T00:10:00.000Z';
    const fired = await Promise.all([store.advanceSchedule(id, slot, next, slot), store.advanceSchedule(id, slot, next, slot)]);
    assert.deepEqual(fired.sort(), [false, true], 'one of two instances fires the slot');
    assert.deepEqual([(await store.getSchedule(id))?.nextRunAt, (await store.getSchedule(id))?.lastRunAt], [next, slot]);

    assert.equal(await store.updateSchedule({ ...schedule, tenant: 'other', input: 'stolen' }), false, 'another tenant cannot update it');
    assert.equal(await store.updateSchedule({ ...schedule, input: 'changed', enabled: false, nextRunAt: null, updatedAt: '2030-01-01T00:06:00.000Z' }), true);
    const updated = await store.getSchedule(id, 'acme');
    assert.deepEqual([updated?.input, updated?.enabled, updated?.nextRunAt, updated?.lastRunAt], ['changed', false, null, slot]);
    assert.equal(await store.deleteSchedule(id, 'other'), false);
    assert.equal(await store.deleteSchedule(id, 'acme'), true);
    assert.equal(await store.getSchedule(id), undefined);
  });

  it('lists the runs a schedule started', async () => {
    const store = await open();
    const scheduleId = `sch_filter_${process.pid}_${Date.now()}`;
    const fired = await newRun(store, { metadata: { scheduleId, scheduledFor: '2030-01-01T00:00:00.000Z' } });
    await newRun(store, { metadata: { scheduleId: 'sch_other' } });
    assert.deepEqual((await store.listRuns({ scheduleId })).runs.map((run) => run.id), [fired.id]);
  });
}
