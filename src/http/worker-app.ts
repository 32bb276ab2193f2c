import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from './app-deps.ts';
import { healthRoutes } from './routes/health-routes.ts';

/** A worker's HTTP surface: `/health` and `/ready` for its orchestrator, nothing else (it admits and streams no run). */
export async function createWorkerApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, return503OnClosing: true, forceCloseConnections: true, exposeHeadRoutes: false });
  await app.register(healthRoutes(deps));
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `A worker serves /health and /ready only, not ${request.method} ${request.url.split('?')[0]}.` } });
  });
  return app;
}
