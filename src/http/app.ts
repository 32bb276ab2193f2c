import { existsSync } from 'node:fs';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors/app-error.ts';
import type { AppDeps } from './app-deps.ts';
import { registerDocs } from './docs-routes.ts';
import { createErrorHandler, handleClientError, toErrorResponse } from './error-handler.ts';
import { nestsDeeperThan } from './json-depth.ts';
import { authenticate } from './access/authenticate.ts';
import { guardCrossSite } from './access/cross-site-guard.ts';
import { guardSilentConnections } from './silent-connection-guard.ts';
import { limitStreamsPerClient } from './middleware/streams-per-client.ts';
import { registerRequestLog, requestIdOf } from './request-log.ts';
import { catalogRoutes } from './routes/catalog-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { metricsRoutes } from './routes/metrics-routes.ts';
import { runRoutes } from './routes/run-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import { scheduleRoutes } from './routes/schedule-routes.ts';
import { webhookRoutes } from './routes/webhook-routes.ts';

const ignoreLog = () => {};

export type RouteModule = (deps: AppDeps) => (app: FastifyInstance) => Promise<void>;

/** Deepest JSON nesting a body may have: far past any real client, far below what `JSON.stringify` survives. */
export const MAX_JSON_DEPTH = 256;

/**
 * Builds the HTTP app. It never listens: `main.ts` (or a test) calls `listen` on it.
 * Fastify with SSE on hijacked raw responses measured 0.9–1.05x raw node:http here (shared/bench).
 */
const RATE_LIMIT_CODES: Record<string, string> = { rate_limited: 'requests', token_budget_exceeded: 'tokens', too_many_runs: 'runs', too_many_streams: 'streams' };

export async function createApp(deps: AppDeps, extraRoutes: RouteModule[] = []): Promise<FastifyInstance> {
  const errorHandler = createErrorHandler(deps.log);
  const requestTimeout = deps.config.requestTimeoutMs ?? 60_000;
  const serverTimeouts = { headersTimeout: requestTimeout, connectionsCheckingInterval: connectionsCheckingInterval(requestTimeout) };
  const app = Fastify({
    // AGENTSTREAM_TLS_CERT / _KEY: HTTPS served directly, with the same socket deadlines as plain HTTP.
    ...(deps.config.tls ? { https: { cert: deps.config.tls.cert, key: deps.config.tls.key, ...serverTimeouts } } : {}),
    // Fastify's own logger is pino (ours when it is one); the one line per request is ours (request-log.ts).
    loggerInstance: deps.log.pino as FastifyBaseLogger | undefined,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    genReqId: requestIdOf,
    bodyLimit: deps.config.bodyLimitBytes,
    // A reused keep-alive socket must not be closed under load.
    keepAliveTimeout: 65_000,
    // Time to RECEIVE a request (headers and body), not to answer it: a stream lasts as long as its run, while a
    // client that sends headers and then nothing is cut off with a 408 instead of holding its socket forever.
    requestTimeout,
    // Node checks those deadlines only every `connectionsCheckingInterval` (30 s by default): a request is cut between
    // the limit and the limit plus one interval, so the interval is a tenth of the limit, at most a second (60 s meant
    // 60–90 s before). The same deadline applies to a connection that sends nothing at all (see below).
    http: serverTimeouts,
    return503OnClosing: true,
    forceCloseConnections: true,
    // Session ids run to 200 characters (600 percent-encoded); Fastify's default cap is 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // Several GET routes start runs (the Agno EventSource form) or stream; a HEAD must not start one.
    exposeHeadRoutes: false,
    // A malformed URL or an over-long parameter gets our error shape, not Fastify's.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
    // So does a request Node's HTTP parser refuses (bad syntax, huge headers, the request timeout).
    clientErrorHandler: handleClientError,
  }) as unknown as FastifyInstance;
  guardSilentConnections(app.server, requestTimeout);
  // zod validates at the edge; the JSON schemas on routes only document the API.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // JSON only (issue 11): `text/plain` and forms are what a page on another site can send without a CORS
  // preflight, so accepting them as JSON let any web page start runs on a local server. They get 415.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(new AppError('bad_request', { message: `The request body nests JSON more than ${MAX_JSON_DEPTH} levels deep.` }), undefined);
    }
    // Fastify's own prototype-poisoning protection (secure-json-parse, as Fastify's default parser), kept with our
    // depth limit: a body with a `__proto__` or `constructor.prototype` key is refused, never merged into objects.
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const message = (error as Error).message;
      done(/^Object contains forbidden/.test(message)
        ? new AppError('bad_request', { message: 'The request body has a __proto__ or constructor.prototype key, which is refused (prototype poisoning).' })
        : new AppError('malformed_json', { message: `The request body is not valid JSON: ${message}` }), undefined);
    }
  });
  app.setErrorHandler(errorHandler);
  // Every error a route answers with, whichever error handler renders it, counted by its code.
  app.addHook('onError', async (_request, _reply, error) => {
    const code = toErrorResponse(error, ignoreLog).body.error.code;
    deps.metrics.errors.inc({ code, source: 'http' });
    // Refusals by a limit, by which limit: per-key requests, tokens, concurrent runs (per key or per instance), streams.
    const limit = RATE_LIMIT_CODES[code];
    if (limit) deps.metrics.rateLimitedRequests.inc({ limit });
  });
  app.setNotFoundHandler((request, reply) => {
    deps.metrics.errors.inc({ code: 'not_found', source: 'http' });
    reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } });
  });
  const origins = deps.config.corsOrigins;
  await app.register(fastifyCors, {
    // Headers are set in onRequest, on the reply, so hijacked SSE responses (which copy them) carry them too.
    hook: 'onRequest',
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'last-event-id', 'accept', 'x-request-id'],
    // Only headers some route really sends: the AI SDK's stream marker, the run and session ids of a started
    // stream, and the limits' Retry-After and IETF RateLimit fields.
    exposedHeaders: ['x-vercel-ai-ui-message-stream', 'x-run-id', 'x-session-id', 'retry-after', 'ratelimit', 'ratelimit-policy'],
    maxAge: 600,
    // An OPTIONS without the preflight headers is answered like one (204), not refused with a 400.
    strictPreflight: false,
  });
  app.addHook('onRequest', guardCrossSite({ bindHost: deps.config.bindHost ?? '127.0.0.1', allowedHosts: deps.config.allowedHosts ?? [], corsOrigins: origins }));
  app.decorateRequest('access', null as never);
  if (deps.config.maxStreamsPerClient) app.addHook('onRequest', limitStreamsPerClient(deps.config.maxStreamsPerClient));
  registerRequestLog(app, deps.log);

  // Probes, docs and the UI's files are open; everything that runs or reads runs is inside `api`, behind the keys.
  await registerDocs(app, deps.config.version);
  await app.register(healthRoutes(deps));
  await app.register(async (api) => {
    api.addHook('onRequest', authenticate(deps.config.access ?? { keys: [], defaults: {} }));
    const limits = deps.limits;
    if (limits) {
      api.addHook('onRequest', async (request, reply) => {
        if (!request.access) return;
        const { key, limits: keyLimits } = request.access;
        await limits.runs.refreshBudget(key, keyLimits.dailyTokenBudget);
        if (keyLimits.rate) reply.headers(await limits.countRequest(key, keyLimits.rate));
      });
    }
    await api.register(runRoutes(deps));
    await api.register(catalogRoutes(deps));
    await api.register(sessionRoutes(deps));
    await api.register(webhookRoutes(deps));
    if (deps.schedules) await api.register(scheduleRoutes({ schedules: deps.schedules }));
    await api.register(metricsRoutes(deps));
    for (const module of extraRoutes) await api.register(module(deps));
  });
  if (deps.config.webDir && existsSync(deps.config.webDir)) await registerWebUi(app, deps.config.webDir);
  return app;
}

/** How often Node checks request deadlines (ms): a tenth of the limit, between 50 ms and 1 s. */
export function connectionsCheckingInterval(requestTimeoutMs: number): number {
  return Math.max(50, Math.min(1000, Math.floor(requestTimeoutMs / 10)));
}

/** The built React UI at `/`, with client-side routes falling back to index.html. */
async function registerWebUi(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  for (const path of ['/client', '/agent', '/team', '/runs', '/runs/:runId', '/analytics', '/analytics/:runId']) {
    app.get(path, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
  }
}
