import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors/app-error.ts';
import type { Usage } from '../../events/run-event.ts';
import type { RunSlot, StartRunRequest } from '../../runs/run-manager.ts';
import { createSharedRunSlots } from './shared-run-slots.ts';

const DAY_SECONDS = 86_400;

/**
 * Per-key run limits: concurrent runs (counted here, synchronously, so the slot is taken before any await and a
 * burst cannot overshoot; with Redis, the other instances' runs are counted too, see `shared-run-slots.ts`) and an
 * optional daily token budget counted from the runs' usage (in Redis when `REDIS_URL` is set, so every instance
 * adds to and reads the same total).
 */
export function createRunLimits(options: { redis?: Redis; keyPrefix: string }) {
  const running = new Map<string, number>();
  const shared = options.redis ? createSharedRunSlots({ redis: options.redis, keyPrefix: options.keyPrefix }) : undefined;
  // Keys whose budget is spent, until when (ms epoch). Read synchronously at admission; refreshed from the shared
  // counter on each of the key's requests (`refreshBudget`) and whenever one of its runs ends.
  const spent = new Map<string, number>();
  const budgets = new Map<number, RateLimiterAbstract>();
  const budgetLimiter = (budget: number) => {
    let limiter = budgets.get(budget);
    if (!limiter) {
      const settings = { points: budget, duration: DAY_SECONDS, keyPrefix: `${options.keyPrefix}:tokens:${budget}` };
      limiter = options.redis
        ? new RateLimiterRedis({ ...settings, storeClient: options.redis, insuranceLimiter: new RateLimiterMemory(settings) })
        : new RateLimiterMemory(settings);
      budgets.set(budget, limiter);
    }
    return limiter;
  };
  const markSpent = (key: string, budget: number, result: RateLimiterRes | null) => {
    if (result && result.consumedPoints >= budget) spent.set(key, Date.now() + result.msBeforeNext);
    else spent.delete(key);
  };

  return {
    /** For `RunManager`'s `admit`: takes the caller's slot now or throws a 429; nothing is started when it throws. */
    admit(request: StartRunRequest): RunSlot {
      const caller = request.caller;
      if (!caller) return { release() {} };
      const until = spent.get(caller.key);
      if (until !== undefined && until > Date.now()) {
        const retryAfter = Math.max(1, Math.ceil((until - Date.now()) / 1000));
        throw new AppError('token_budget_exceeded', {
          message: `This key has used its ${caller.dailyTokenBudget} tokens for the day; more runs are accepted in ${retryAfter} s.`,
          headers: { 'retry-after': String(retryAfter) },
          details: { budget: caller.dailyTokenBudget ?? null, retryAfterSeconds: retryAfter },
        });
      }
      const limit = caller.maxConcurrentRuns;
      const count = running.get(caller.key) ?? 0;
      if (limit !== undefined && count >= limit) {
        throw new AppError('too_many_runs', {
          message: `This key has ${count} runs in progress; its limit is ${limit}.`,
          headers: { 'retry-after': '1' },
          details: { limit, scope: 'key' },
        });
      }
      running.set(caller.key, count + 1);
      let released = false;
      // Across instances: settles before the run is created; a 429 there releases this slot (the caller's catch).
      const sharedRelease = limit !== undefined && shared ? shared.take(caller.key, limit) : undefined;
      sharedRelease?.catch(() => {}); // the rejection is the caller's to handle, through `confirmed`
      let freed = false;
      // The key's place among its concurrent runs: given back at the end, or earlier when the run pauses for input.
      const free = () => {
        if (freed) return;
        freed = true;
        sharedRelease?.then((releaseShared) => releaseShared(), () => {});
        const left = (running.get(caller.key) ?? 1) - 1;
        if (left > 0) running.set(caller.key, left);
        else running.delete(caller.key);
      };
      return {
        confirmed: sharedRelease?.then(() => undefined),
        suspend: free,
        release(usage?: Usage) {
          if (released) return;
          released = true;
          free();
          const budget = caller.dailyTokenBudget;
          const tokens = usage?.totalTokens ?? 0;
          if (budget === undefined || tokens <= 0) return;
          budgetLimiter(budget).penalty(caller.key, tokens)
            .then((result) => markSpent(caller.key, budget, result), () => {});
        },
      };
    },
    close(): void {
      shared?.close();
    },
    /** Reads the key's shared token total (another instance's runs count too) before its request is handled. */
    async refreshBudget(key: string, budget: number | undefined): Promise<void> {
      if (budget === undefined) return;
      markSpent(key, budget, await budgetLimiter(budget).get(key).catch(() => null));
    },
  };
}

export type RunLimits = ReturnType<typeof createRunLimits>;
