import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors/app-error.ts';
import { policyName, type RatePolicy } from './rate-policy.ts';

/**
 * Requests per window per key, through `rate-limiter-flexible`: in memory on one instance, in Redis when
 * `REDIS_URL` is set, so the quota holds across instances (an in-memory limiter stands in while Redis is down).
 * Every limited response carries the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers-10/11,
 * https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/):
 * `RateLimit-Policy: "120-per-60s";q=120;w=60` and `RateLimit: "120-per-60s";r=<remaining>;t=<seconds to reset>`.
 */
export function createRequestLimits(options: { redis?: Redis; keyPrefix: string }) {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiterFor = (policy: RatePolicy) => {
    const name = policyName(policy);
    let limiter = limiters.get(name);
    if (!limiter) {
      const settings = { points: policy.points, duration: policy.windowSeconds, keyPrefix: `${options.keyPrefix}:requests:${name}` };
      limiter = options.redis
        ? new RateLimiterRedis({ ...settings, storeClient: options.redis, insuranceLimiter: new RateLimiterMemory(settings) })
        : new RateLimiterMemory(settings);
      limiters.set(name, limiter);
    }
    return limiter;
  };

  /** Counts one request of `key`; returns the headers to send, or throws a 429 `rate_limited` carrying them. */
  return async function countRequest(key: string, policy: RatePolicy): Promise<Record<string, string>> {
    const name = policyName(policy);
    const headers = (result: RateLimiterRes) => ({
      'ratelimit-policy': `"${name}";q=${policy.points};w=${policy.windowSeconds}`,
      ratelimit: `"${name}";r=${Math.max(0, result.remainingPoints)};t=${Math.ceil(result.msBeforeNext / 1000)}`,
    });
    try {
      return headers(await limiterFor(policy).consume(key));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError('rate_limited', {
        message: `This key may make ${policy.points} requests per ${policy.windowSeconds} s; retry in ${retryAfter} s.`,
        headers: { ...headers(rejection), 'retry-after': String(retryAfter) },
        details: { limit: policy.points, windowSeconds: policy.windowSeconds, retryAfterSeconds: retryAfter },
      });
    }
  };
}

export type CountRequest = ReturnType<typeof createRequestLimits>;
