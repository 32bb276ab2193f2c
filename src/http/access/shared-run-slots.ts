import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors/app-error.ts';

// One sorted set per key: a member per run in progress on any instance, scored by when it expires (Redis's own
// clock, so instances' clocks need not agree). An instance refreshes the members it holds; a dead instance's
// members expire, so a crash frees its slots within SLOT_TTL_MS instead of holding them forever.
const SLOT_TTL_MS = 30_000;
const REFRESH_MS = 10_000;

// Drops expired members, then adds this one only while fewer than the limit remain: check and take in one step.
const TAKE = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[1]) then return count end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return -1`;

const REFRESH = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', ms + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 0`;

/**
 * Concurrent runs per key across every instance sharing Redis. Each instance still counts its own runs
 * synchronously (`run-limits.ts`), so a burst on one instance cannot overshoot while Redis answers; this adds the
 * other instances' runs. While Redis is unreachable, only the per-instance count applies.
 */
export function createSharedRunSlots(options: { redis: Redis; keyPrefix: string }) {
  const held = new Map<string, string>(); // member -> set key
  const timer = setInterval(() => {
    for (const [member, key] of held) options.redis.eval(REFRESH, 1, key, SLOT_TTL_MS, member).catch(() => {});
  }, REFRESH_MS);
  timer.unref();
  const setKey = (key: string) => `${options.keyPrefix}:running:${key}`;
  return {
    /** Takes one of `limit` slots for `key`; resolves with a release function, rejects with a 429 when all are taken. */
    async take(key: string, limit: number): Promise<() => void> {
      const member = randomUUID();
      const set = setKey(key);
      let count: number;
      try {
        count = Number(await options.redis.eval(TAKE, 1, set, limit, SLOT_TTL_MS, member));
      } catch {
        return () => {}; // Redis away: the per-instance count is what holds
      }
      if (count >= 0) {
        throw new AppError('too_many_runs', {
          message: `This key has ${count} runs in progress; its limit is ${limit}.`,
          headers: { 'retry-after': '1' },
          details: { limit, scope: 'key' },
        });
      }
      held.set(member, set);
      return () => {
        held.delete(member);
        options.redis.zrem(set, member).catch(() => {});
      };
    },
    close(): void {
      clearInterval(timer);
    },
  };
}

export type SharedRunSlots = ReturnType<typeof createSharedRunSlots>;
