import { Redis } from 'ioredis';
import type { RunEvent } from '../../events/run-event.ts';
import { deserializeEvent, serializeEvent } from '../../events/serialize-event.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Bus, ControlMessage, EventListener } from '../bus.ts';

/** Where the Redis bus connects and how its channels and connections are named. */
export type RedisBusOptions = {
  /** `redis://[user:password@]host:port[/db]` (https://github.com/redis/ioredis#connect-to-redis). */
  url: string;
  /** Channels are `<prefix>:run:<runId>` and `<prefix>:control`; deployments sharing one Redis pick different prefixes. */
  channelPrefix?: string;
  /** Shown in Redis `CLIENT LIST` as `<name>:publisher` / `<name>:subscriber`. */
  name?: string;
  log?: Logger;
};

type Channel = { listeners: Set<EventListener>; ready: Promise<void> };

/**
 * The bus for several instances: Redis pub/sub (https://redis.io/docs/latest/develop/interact/pubsub/).
 * One publisher connection keeps publish order; one shared subscriber connection holds a SUBSCRIBE per run
 * that has listeners here. A batch travels as one message: the events' cached JSON texts joined by newlines
 * (JSON text never contains a raw newline), so neither side stringifies an event twice. Pub/sub is at most once:
 * a message published while a connection is down is lost, and followers fill such gaps from the store.
 * Resolves once both connections are up.
 */
export async function createRedisBus(options: RedisBusOptions): Promise<Bus> {
  const prefix = options.channelPrefix ?? 'agentstream';
  const controlChannel = `${prefix}:control`;
  const runChannel = (runId: string) => `${prefix}:run:${runId}`;
  const log: Logger = options.log ?? (() => {});
  const name = options.name ?? 'agentstream';
  let started = false;
  // Before start-up succeeds, errors are not logged: the first one is the reason start-up gives, in one line.
  let startError: Error | undefined;
  const connect = (role: string) => {
    const connection = new Redis(options.url, {
      lazyConnect: true,
      connectionName: `${name}:${role}`,
      // Start-up fails at once on an unreachable Redis; later drops are retried with ioredis's usual backoff.
      retryStrategy: (attempt: number) => (started ? Math.min(attempt * 50, 2000) : null),
    });
    // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
    connection.on('error', (error: Error) => {
      if (!started) startError ??= error;
      else log('warn', 'redis connection error', { role, error: error.message });
    });
    return connection;
  };
  const publisher = connect('publisher');
  const subscriber = connect('subscriber');
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(controlChannel);
    started = true;
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw new Error(`Redis at ${redact(options.url)} did not answer: ${startError?.message ?? String(error)}`, { cause: error });
  }

  const channels = new Map<string, Channel>();
  const controlListeners = new Set<(message: ControlMessage) => void>();
  let closed = false;

  subscriber.on('message', (channelName: string, message: string) => {
    if (channelName === controlChannel) return deliverControl(message);
    const channel = channels.get(channelName);
    if (!channel) return;
    let events: RunEvent[];
    try {
      events = message.split('\n').map(deserializeEvent);
    } catch (error) {
      return log('warn', 'ignored a malformed event message', { channel: channelName, error: String(error) });
    }
    for (const event of events) {
      for (const listener of channel.listeners) callSafely(() => listener(event));
    }
  });
  const deliverControl = (message: string) => {
    const control = parseControl(message);
    if (!control) return log('warn', 'ignored a malformed control message', { message: message.slice(0, 200) });
    for (const listener of controlListeners) callSafely(() => listener(control));
  };
  const callSafely = (call: () => void) => {
    try {
      call();
    } catch (error) {
      log('error', 'a bus listener threw', { error: String(error) });
    }
  };
  const send = (channel: string, message: string) => {
    if (closed) return;
    publisher.publish(channel, message).catch((error: Error) => log('warn', 'redis publish failed', { channel, error: error.message }));
  };

  return {
    kind: 'redis',
    publish(runId: string, events: readonly RunEvent[]) {
      if (events.length > 0) send(runChannel(runId), events.map(serializeEvent).join('\n'));
    },
    subscribe(runId: string, listener: EventListener) {
      const channelName = runChannel(runId);
      let channel = channels.get(channelName);
      if (!channel) {
        const ready = subscriber.subscribe(channelName).then(() => {});
        ready.catch(() => {}); // reported to whoever awaits whenSubscribed
        channel = { listeners: new Set(), ready };
        channels.set(channelName, channel);
      }
      const subscribed = channel;
      subscribed.listeners.add(listener);
      return () => {
        if (!subscribed.listeners.delete(listener) || subscribed.listeners.size > 0) return;
        if (channels.get(channelName) === subscribed) channels.delete(channelName);
        if (!closed) subscriber.unsubscribe(channelName).catch((error: Error) => log('warn', 'redis unsubscribe failed', { channel: channelName, error: error.message }));
      };
    },
    whenSubscribed(runId: string) {
      return channels.get(runChannel(runId))?.ready ?? Promise.resolve();
    },
    publishControl(message: ControlMessage) {
      send(controlChannel, JSON.stringify(message));
    },
    onControl(listener) {
      controlListeners.add(listener);
      return () => controlListeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      channels.clear();
      controlListeners.clear();
      // QUIT lets publishes already queued go out first; a connection that is down has nothing to flush.
      await Promise.all([publisher, subscriber].map((connection) => (connection.status === 'ready' ? connection.quit().then(() => {}, () => connection.disconnect()) : connection.disconnect())));
    },
  };
}

function parseControl(message: string): ControlMessage | undefined {
  try {
    const value = JSON.parse(message) as Partial<ControlMessage>;
    if (value?.type === 'cancel' && typeof value.runId === 'string' && typeof value.reason === 'string') return { type: 'cancel', runId: value.runId, reason: value.reason };
  } catch {
    // fall through: not JSON
  }
  return undefined;
}

/** The URL without its password, for error messages and logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
