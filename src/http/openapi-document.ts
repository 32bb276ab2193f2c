import { docSchema, ErrorResponseDoc } from './schemas.ts';

type Operation = {
  operationId?: string;
  summary?: string;
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
};
type OpenApiObject = {
  openapi?: string;
  paths?: Record<string, Record<string, Operation>>;
  components?: Record<string, unknown>;
  security?: Record<string, string[]>[];
  servers?: { url: string; description?: string }[];
  [key: string]: unknown;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Paths that never need a key (as the key check lets them through): probes and docs. */
const OPEN_PATHS = /^\/(health|ready|api\/v1\/health)$/;

const ERROR_REF = { $ref: '#/components/schemas/ErrorResponse' };

/**
 * Completes the document @fastify/swagger generates from the routes, for every route (ours and every protocol's):
 * OpenAPI 3.1, an operationId, a success response (SSE routes as `text/event-stream`), the error shape on 4XX/5XX,
 * and the security schemes (Bearer or x-api-key; optional, since keys are off on the embedded default).
 */
export function completeOpenApi({ openapiObject }: { openapiObject: Partial<OpenApiObject> }): OpenApiObject {
  const document = openapiObject as OpenApiObject;
  document.openapi = '3.1.0';
  document.servers = [{ url: 'http://127.0.0.1:8000', description: 'The embedded default (HOST and PORT change it)' }];
  document.components = {
    ...document.components,
    schemas: { ...(document.components?.schemas as Record<string, unknown> | undefined), ErrorResponse: docSchema(ErrorResponseDoc, 'output') },
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'The API key as `Authorization: Bearer <key>` (when the server has keys configured)' },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The API key as `x-api-key: <key>`' },
    },
  };
  // Either scheme, or none: with no keys configured (the embedded default) every route is open.
  document.security = [{ bearerAuth: [] }, { apiKeyHeader: [] }, {}];
  const used = new Set<string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      // A route with several methods (/mcp) has one operation object for all of them: each method gets its own copy.
      const operation = { ...item[method] };
      item[method] = operation;
      operation.operationId = unique(operation.operationId ?? operationIdOf(method, path), used);
      operation.responses = completeResponses(operation);
      if (OPEN_PATHS.test(path)) operation.security = [];
    }
  }
  return document;
}

function completeResponses(operation: Operation): NonNullable<Operation['responses']> {
  const responses = { ...operation.responses };
  // @fastify/swagger writes `200: {description: 'Default Response'}` (no content) for a route that declares none.
  if (responses['200']?.description === 'Default Response' && !responses['200'].content) delete responses['200'];
  const hasSuccess = Object.keys(responses).some((status) => /^2/.test(status));
  if (!hasSuccess) {
    const streams = /\bSSE\b|\bstream/i.test(operation.summary ?? '');
    responses['200'] = streams
      ? { description: 'A stream of Server-Sent Events (or the error shape of the route\'s protocol)', content: { 'text/event-stream': { schema: { type: 'string' } }, 'application/json': { schema: {} } } }
      : { description: 'OK', content: { 'application/json': { schema: {} } } };
  }
  for (const [status, response] of Object.entries(responses)) {
    // @fastify/swagger writes `default response` for schemas without a description; say what it is.
    if (!response.description || response.description === 'Default Response') response.description = status.startsWith('2') ? 'OK' : 'Error';
  }
  responses['4XX'] ??= { description: 'The request was refused: `{error: {code, message}}` (docs/errors.md)', content: { 'application/json': { schema: ERROR_REF } } };
  responses['5XX'] ??= { description: 'The server or the model provider failed: `{error: {code, message}}`', content: { 'application/json': { schema: ERROR_REF } } };
  return responses;
}

/** `POST /v1/runs/{runId}/cancel` -> `postV1RunsRunIdCancel`. */
function operationIdOf(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
}

function unique(id: string, used: Set<string>): string {
  let candidate = id;
  for (let index = 2; used.has(candidate); index += 1) candidate = `${id}${index}`;
  used.add(candidate);
  return candidate;
}
