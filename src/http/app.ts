import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from '../errors/app-error.ts';
import type { AppDeps } from './app-deps.ts';
import { registerDocs } from './docs-routes.ts';
import { createErrorHandler } from './error-handler.ts';
import { applyCors } from './middleware/cors.ts';
import { checkApiKey } from './middleware/api-key.ts';
import { catalogRoutes } from './routes/catalog-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { runRoutes } from './routes/run-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';

export type RouteModule = (deps: AppDeps) => (app: FastifyInstance) => Promise<void>;

/**
 * Builds the HTTP app. It never listens: `main.ts` (or a test) calls `listen` on it.
 * Fastify with SSE on hijacked raw responses measured 0.9–1.05x raw node:http here (shared/bench).
 */
export async function createApp(deps: AppDeps, extraRoutes: RouteModule[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: deps.config.bodyLimitBytes,
    // Streams outlive Node's defaults; a reused keep-alive socket must not be closed under load.
    keepAliveTimeout: 65_000,
    requestTimeout: 0,
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  // zod validates at the edge; the JSON schemas on routes only document the API.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new AppError('malformed_json', { message: `The request body is not valid JSON: ${(error as Error).message}` }), undefined);
    }
  });
  app.setErrorHandler(createErrorHandler(deps.log));
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` } });
  });
  app.addHook('onRequest', applyCors(deps.config.corsOrigins));
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

/** The built React UI at `/`, with client-side routes falling back to index.html. */
async function registerWebUi(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  for (const path of ['/client', '/agent', '/team', '/runs', '/runs/:runId', '/analytics', '/analytics/:runId']) {
    app.get(path, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
  }
}
