import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { redisSkipReason, TEST_REDIS_URL } from '../../src/bus/redis/redis-test-connection.ts';
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropTestSchema, postgresSkipReason, TEST_DATABASE_URL, uniqueTestSchema } from '../../src/store/postgres/postgres-test-database.ts';
import { nativeRunsSuite } from './support/native-runs-suite.ts';
import { startTestServer } from './support/test-server.ts';

// The same native suite in the queue shape: PostgreSQL, and every run through the BullMQ queue on Redis to this
// instance's own worker (role all), with its events fanned out over Redis.
const skip = (await postgresSkipReason()) ?? (await redisSkipReason());
const schema = uniqueTestSchema('nativequeue');
const prefix = `agentstream-native-queue-${process.pid}-${randomBytes(4).toString('hex')}`;
after(() => (skip ? undefined : dropTestSchema(schema)));

nativeRunsSuite('native run API, queue shape', async () => {
  const store = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
  return startTestServer({ redisUrl: TEST_REDIS_URL, redisChannelPrefix: prefix }, { store });
}, { skip });
