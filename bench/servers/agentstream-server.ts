import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { configFromEnv } from '../../src/config/server-config.ts';
import { createServer } from '../../src/create-server.ts';
import type { RouteModule } from '../../src/http/app.ts';
import { createDemoModel } from '../../src/models/demo/demo-model.ts';
import type { ModelProvider } from '../../src/models/model-registry.ts';
import { parsePacedProfile } from '../lib/model-profile.ts';
import { announceReady, listenAddress, PROFILE_PATH, readServerStats, STATS_PATH } from './bench-stats.ts';

// agentstream as shipped (Fastify, SQLite file, in-process bus, native SSE), plus two bench-only parts
// through its public extension points: a `benchpaced:<deltas>x<ms>` model and the stats route.

const pacedProvider: ModelProvider = {
  name: 'benchpaced',
  label: 'bench paced (simulated)',
  isConfigured: true,
  simulated: true,
  listedModels: [],
  createModel(modelId) {
    const profile = parsePacedProfile(modelId);
    if (!profile) throw new Error(`benchpaced: model id must look like 150x20, got '${modelId}'`);
    return createDemoModel({ tokenDelayMs: profile.delayMs, modelId: 'demo:bench', benchTextDeltas: profile.textDeltas });
  },
};

// `--profile`: the load generator brackets each measured window with these, so a profile holds the
// scenario and nothing else (start-up, warm-up).
const profiler = new Session();
const statsRoute: RouteModule = () => async (app) => {
  app.get(STATS_PATH, { schema: { hide: true } }, async (request) => readServerStats({ collect: (request.query as { gc?: string }).gc === '1' }));
  app.post(`${PROFILE_PATH}/start`, { schema: { hide: true } }, async () => {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return { profiling: true };
  });
  app.post(`${PROFILE_PATH}/stop`, { schema: { hide: true } }, async (request) => {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    const file = join(import.meta.dirname, '..', '.work', 'profiles', `${(request.query as { name?: string }).name ?? 'profile'}.cpuprofile`.replace(/[^\w.-]/g, '_'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    return { file };
  });
};

const dataDir = join(import.meta.dirname, '..', '.work', `agentstream-${process.pid}`);
mkdirSync(dataDir, { recursive: true });
const { host, port } = listenAddress();
const server = await createServer(
  {
    ...configFromEnv({ LOG_LEVEL: 'warn' }),
    host,
    port,
    dataDir,
    demoTokenDelayMs: 0,
    maxConcurrentRuns: 20_000,
    // The load generator is one address standing for thousands of clients: the per-client bound is off.
    maxStreamsPerClient: 0,
    webDir: undefined,
    // Wire formats whose requests cannot name a model (OpenAI chat: `model` is the agent) run the bench model too.
    defaultModel: 'demo:bench',
  },
  { providers: [pacedProvider], routes: [statsRoute] },
);
announceReady(await server.listen());

const stop = async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
