import { existsSync } from 'node:fs';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from '../errors/app-error.ts';
import type { AppDeps } from './app-deps.ts';
import { registerDocs } from './docs-routes.ts';
import { createErrorHandler, handleClientError, toErrorResponse } from './error-handler.ts';
import { nestsDeeperThan } from './json-depth.ts';
import { registerRequestLog, requestIdOf } from './request-log.ts';
import { applyCors } from './middleware/cors.ts';
import { checkApiKey } from './middleware/api-key.ts';
import { catalogRoutes } from './routes/catalog-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { metricsRoutes } from './routes/metrics-routes.ts';
import { runRoutes } from './routes/run-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';

const ignoreLog = () => {};

export type RouteModule = (deps: AppDeps) => (app: FastifyInstance) => Promise<void>;

/** Deepest JSON nesting a body may have: far past any real client, far below what `JSON.stringify` survives. */
export const MAX_JSON_DEPTH = 256;

/**
 * Builds the HTTP app. It never listens: `main.ts` (or a test) calls `listen` on it.
 * Fastify with SSE on hijacked raw responses measured 0.9–1.05x raw node:http here (shared/bench).
 */
export async function createApp(deps: AppDeps, extraRoutes: RouteModule[] = []): Promise<FastifyInstance> {
  const errorHandler = createErrorHandler(deps.log);
  const requestTimeout = deps.config.requestTimeoutMs ?? 60_000;
  const app = Fastify({
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
    // Node checks those deadlines every `connectionsCheckingInterval` (30 s by default), so a short limit needs a shorter check.
    http: { headersTimeout: Math.min(60_000, requestTimeout), connectionsCheckingInterval: Math.max(50, Math.min(30_000, requestTimeout / 2)) },
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
  });
  // zod validates at the edge; the JSON schemas on routes only document the API.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(new AppError('bad_request', { message: `The request body nests JSON more than ${MAX_JSON_DEPTH} levels deep.` }), undefined);
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new AppError('malformed_json', { message: `The request body is not valid JSON: ${(error as Error).message}` }), undefined);
    }
  });
  app.setErrorHandler(errorHandler);
  // Every error a route answers with, whichever error handler renders it, counted by its code.
  app.addHook('onError', async (_request, _reply, error) => {
    deps.metrics.errors.inc({ code: toErrorResponse(error, ignoreLog).body.error.code, source: 'http' });
  });
  app.setNotFoundHandler((request, reply) => {
    deps.metrics.errors.inc({ code: 'not_found', source: 'http' });
    reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } });
  });
  registerRequestLog(app, deps.log);
  app.addHook('onRequest', applyCors(deps.config.corsOrigins));
  if (deps.config.apiKey) app.addHook('onRequest', checkApiKey(deps.config.apiKey));

  await registerDocs(app, deps.config.version);
  await app.register(healthRoutes(deps));
  await app.register(runRoutes(deps));
  await app.register(catalogRoutes(deps));
  await app.register(sessionRoutes(deps));
  await app.register(metricsRoutes(deps));
  for (const module of extraRoutes) await app.register(module(deps));
  if (deps.config.webDir && existsSync(deps.config.webDir)) await registerWebUi(app, deps.config.webDir);
  return app;
}

/** The built React UI at `/`, with client-side routes falling back to index.html. */
async function registerWebUi(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  for (const path of ['/client', '/agent', '/team', '/runs', '/runs/:runId', '/analytics', '/analytics/:runId']) {
    app.get(path, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
  }
}
