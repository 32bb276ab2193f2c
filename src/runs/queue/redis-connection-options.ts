/** BullMQ's connection options from a `redis://` / `rediss://` URL (BullMQ makes and owns its connections). */
export type QueueConnection = { host: string; port: number; username?: string; password?: string; db?: number; tls?: Record<string, never> };

export function queueConnectionOf(url: string): QueueConnection {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** The queue's name; deployments sharing one Redis keep apart through BullMQ's key prefix. */
export const RUN_QUEUE_NAME = 'runs';
