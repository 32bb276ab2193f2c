import { Redis } from 'ioredis';

/** The Redis the tests use: `AGENTSTREAM_TEST_REDIS_URL`, else the local default. */
export const TEST_REDIS_URL = process.env.AGENTSTREAM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * node:test's `skip` value for tests that need Redis, from one connection attempt: undefined when it answers,
 * else the reason. Under `CI=true` an unreachable Redis is never a skip: the tests run and fail.
 */
export async function redisSkipReason(): Promise<string | undefined> {
  const connection = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  connection.on('error', () => {});
  try {
    await connection.connect();
    await connection.ping();
    return undefined;
  } catch (error) {
    const reason = `Redis at ${TEST_REDIS_URL} is unreachable (${String(error)}); start it or set AGENTSTREAM_TEST_REDIS_URL`;
    if (process.env.CI === 'true') {
      process.stderr.write(`${reason}. CI=true: the Redis tests run anyway and fail.\n`);
      return undefined;
    }
    return reason;
  } finally {
    connection.disconnect();
  }
}
