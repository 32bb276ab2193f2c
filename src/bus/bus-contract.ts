import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { RunEvent } from '../events/run-event.ts';
import { serializeEvent } from '../events/serialize-event.ts';
import type { Bus, ControlMessage } from './bus.ts';

const agent = { id: 'assistant', name: 'Assistant', role: 'agent' as const, path: [] };

function deltas(runId: string, fromSeq: number, count: number): RunEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    type: 'message.delta', messageId: 'm1', delta: `word ${fromSeq + index}\n"quoted"`, runId, seq: fromSeq + index, ts: new Date().toISOString(), agent,
  }) as RunEvent);
}

/** Collects what a listener receives; `waitFor(n)` resolves once n items have arrived (the test timeout guards a hang). */
function collector<T>() {
  const items: T[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      for (const waiter of waiters.filter((candidate) => items.length >= candidate.count)) waiter.resolve();
    },
    waitFor(count: number): Promise<void> {
      if (items.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

/**
 * The behaviour every Bus must have. `makeBus` is called once per simulated instance: buses it returns must reach
 * each other as two server instances would (the in-process bus passes one shared bus: one process, one bus).
 */
export function describeBusContract(name: string, makeBus: () => Promise<Bus> | Bus, options: { skip?: string } = {}) {
  describe(`bus contract: ${name}`, { skip: options.skip, timeout: 20_000 }, () => {
    const buses: Bus[] = [];
    const open = async () => {
      const bus = await makeBus();
      buses.push(bus);
      return bus;
    };
    after(async () => {
      for (const bus of buses) await bus.close();
    });
    const newRunId = () => `run_bus_${randomUUID()}`;

    it('delivers a run\'s events to a subscriber on another instance, in publish order, bytes unchanged', async () => {
      const [publisher, subscriber] = [await open(), await open()];
      const runId = newRunId();
      const received = collector<RunEvent>();
      const unsubscribe = subscriber.subscribe(runId, (event) => received.push(event));
      await subscriber.whenSubscribed(runId);
      const sent = deltas(runId, 1, 6);
      publisher.publish(runId, sent.slice(0, 2));
      publisher.publish(runId, []);
      publisher.publish(runId, sent.slice(2, 3));
      publisher.publish(runId, sent.slice(3));
      await received.waitFor(6);
      unsubscribe();
      assert.deepEqual(received.items, sent);
      assert.deepEqual(received.items.map(serializeEvent), sent.map(serializeEvent));
    });

    it('fans out to every subscriber of a run and keeps runs apart', async () => {
      const [publisher, first, second] = [await open(), await open(), await open()];
      const [runId, otherRunId] = [newRunId(), newRunId()];
      const [onFirst, onSecond, onOther] = [collector<RunEvent>(), collector<RunEvent>(), collector<RunEvent>()];
      const stops = [first.subscribe(runId, onFirst.push), second.subscribe(runId, onSecond.push), second.subscribe(otherRunId, onOther.push)];
      await Promise.all([first.whenSubscribed(runId), second.whenSubscribed(runId), second.whenSubscribed(otherRunId)]);
      publisher.publish(otherRunId, deltas(otherRunId, 1, 1));
      publisher.publish(runId, deltas(runId, 1, 3));
      await Promise.all([onFirst.waitFor(3), onSecond.waitFor(3), onOther.waitFor(1)]);
      for (const stop of stops) stop();
      assert.deepEqual(onFirst.items.map((event) => [event.runId, event.seq]), [[runId, 1], [runId, 2], [runId, 3]]);
      assert.deepEqual(onSecond.items.map((event) => [event.runId, event.seq]), [[runId, 1], [runId, 2], [runId, 3]]);
      assert.deepEqual(onOther.items.map((event) => [event.runId, event.seq]), [[otherRunId, 1]]);
    });

    it('stops delivering to a listener once it unsubscribes, and subscribes again afterwards', async () => {
      const [publisher, subscriber] = [await open(), await open()];
      const runId = newRunId();
      const [leaving, staying] = [collector<RunEvent>(), collector<RunEvent>()];
      const stopLeaving = subscriber.subscribe(runId, leaving.push);
      const stopStaying = subscriber.subscribe(runId, staying.push);
      await subscriber.whenSubscribed(runId);
      publisher.publish(runId, deltas(runId, 1, 1));
      await Promise.all([leaving.waitFor(1), staying.waitFor(1)]);
      stopLeaving();
      stopLeaving();
      publisher.publish(runId, deltas(runId, 2, 1));
      await staying.waitFor(2);
      // Both listeners share one channel: had the first still been subscribed, it would have had seq 2 by now.
      assert.deepEqual(leaving.items.map((event) => event.seq), [1]);
      stopStaying();

      const returning = collector<RunEvent>();
      const stopReturning = subscriber.subscribe(runId, returning.push);
      await subscriber.whenSubscribed(runId);
      publisher.publish(runId, deltas(runId, 3, 1));
      await returning.waitFor(1);
      stopReturning();
      assert.deepEqual(returning.items.map((event) => event.seq), [3]);
      assert.deepEqual(staying.items.map((event) => event.seq), [1, 2]);
    });

    it('carries control messages to every instance, until a listener stops', async () => {
      const [sender, receiver] = [await open(), await open()];
      const runId = newRunId();
      const [stopped, listening] = [collector<ControlMessage>(), collector<ControlMessage>()];
      const keepOnly = (target: ReturnType<typeof collector<ControlMessage>>) => (message: ControlMessage) => {
        if (message.runId === runId) target.push(message);
      };
      const stop = receiver.onControl(keepOnly(stopped));
      const stopListening = receiver.onControl(keepOnly(listening));
      const cancel: ControlMessage = { type: 'cancel', runId, reason: 'Cancelled by the client' };
      sender.publishControl(cancel);
      await Promise.all([stopped.waitFor(1), listening.waitFor(1)]);
      stop();
      sender.publishControl({ ...cancel, reason: 'again' });
      await listening.waitFor(2);
      stopListening();
      assert.deepEqual(stopped.items, [cancel]);
      assert.deepEqual(listening.items.map((message) => message.reason), ['Cancelled by the client', 'again']);
    });
  });
}
