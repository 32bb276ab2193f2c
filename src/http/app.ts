import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from '../errors/app-error.ts';
import type { AppDeps } from './app-deps.ts';
import { registerDocs } from './docs-routes.ts';
import { createErrorHandler, handleClientError } from './error-handler.ts';
import { nestsDeeperThan } from './json-depth.ts';
import { guardSilentConnections } from './silent-connection-guard.ts';
import { applyCors } from './middleware/cors.ts';
import { checkApiKey } from './middleware/api-key.ts';
import { limitStreamsPerClient } from './middleware/streams-per-client.ts';
import { catalogRoutes } from './routes/catalog-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { runRoutes } from './routes/run-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';

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
    logger: false,
    bodyLimit: deps.config.bodyLimitBytes,
    // A reused keep-alive socket must not be closed under load.
    keepAliveTimeout: 65_000,
    // Time to RECEIVE a request (headers and body), not to answer it: a stream lasts as long as its run, while a
    // client that sends headers and then nothing is cut off with a 408 instead of holding its socket forever.
    requestTimeout,
    // Node checks those deadlines only every `connectionsCheckingInterval` (30 s by default): a request is cut between
    // the limit and the limit plus one interval, so the interval is a tenth of the limit, at most a second (60 s meant
    // 60–90 s before). The same deadline applies to a connection that sends nothing at all (see below).
    http: { headersTimeout: requestTimeout, connectionsCheckingInterval: connectionsCheckingInterval(requestTimeout) },
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
  guardSilentConnections(app.server, requestTimeout);
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
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } });
  });
  app.addHook('onRequest', applyCors(deps.config.corsOrigins));
  if (deps.config.maxStreamsPerClient) app.addHook('onRequest', limitStreamsPerClient(deps.config.maxStreamsPerClient));
  if (deps.config.apiKey) app.addHook('onRequest', checkApiKey(deps.config.apiKey));

  await registerDocs(app, deps.config.version);
  await app.register(healthRoutes(deps));
  await app.register(runRoutes(deps));
  await app.register(catalogRoutes(deps));
  await app.register(sessionRoutes(deps));
  for (const module of extraRoutes) await app.register(module(deps));
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
