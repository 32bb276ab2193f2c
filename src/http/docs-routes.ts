import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { completeOpenApi } from './openapi-document.ts';

const require = createRequire(import.meta.url);

/** OpenAPI at `/openapi.json`, Swagger UI at `/docs`, ReDoc at `/redoc`, all served locally (no CDN). */
export async function registerDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'agentstream', version, description: 'Runs AI agents and multi-agent teams and streams every step over Server-Sent Events.', license: { name: 'MIT', identifier: 'MIT' } },
      tags: [
        { name: 'runs', description: 'Start, follow, inspect, list and cancel runs (native API)' },
        { name: 'catalog', description: 'Agents, teams, models, tools and MCP servers' },
        { name: 'sessions', description: 'Conversation history' },
        { name: 'health', description: 'Liveness, readiness, metrics' },
        { name: 'protocols', description: 'AG-UI, AI SDK UI message stream, OpenAI Chat Completions' },
        { name: 'seeds', description: 'The five seed documents\' own APIs' },
      ],
    },
    transformObject: completeOpenApi as never,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const redocBundle = join(dirname(require.resolve('redoc/package.json')), 'bundles', 'redoc.standalone.js');
  app.get('/redoc/redoc.standalone.js', { schema: { hide: true } }, async (_request, reply) => reply.type('application/javascript').send(await readFile(redocBundle)));
  app.get('/redoc', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html').send(REDOC_PAGE));
}

const REDOC_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>agentstream API — ReDoc</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body></html>`;
