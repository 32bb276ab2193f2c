import fc from 'fast-check';
import { checkAnswer, HANG_GUARD_MS } from './check-answer.ts';
import { sendRaw } from './raw-http.ts';
import { GARBAGE_IDS, type RouteCase } from './route-table.ts';

/** One generated request: a route of the table and what is done to its valid request. */
export type FuzzRequest = { route: RouteCase; method: string; path: string; headers: Record<string, string>; body?: string };

// Header values must be bytes HTTP allows (node:http refuses the rest before sending): visible ASCII and spaces.
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 });
const lastEventId = fc.oneof(
  fc.nat().map(String), fc.integer({ min: -5, max: -1 }).map(String), fc.constantFrom('', ' 2 ', '1e3', '0x10', '99999999999999999999', 'run_x:1', '1.5', 'NaN'), headerText,
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'APPLICATION/JSON', '');
const pathParam = fc.oneof(
  fc.constantFrom(...GARBAGE_IDS),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((text) => encodeURIComponent(text)),
  fc.string({ unit: fc.constantFrom('%', '2', 'F', 'e', '.', '/', 'a', '0', '~', '%00'), minLength: 1, maxLength: 12 }),
);

/** Any JSON value, with the prototype-polluting keys and odd numbers and strings mixed in. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('', '\u0000', 'a\u0000b', '\ud800', '__proto__', 'demo', 'nowhere:model', 'gpt-4', -1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, true, null),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), tie('value'), { maxKeys: 4 }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value;

/** The route's valid body with one field replaced, removed or added: most of the input space near real requests. */
function mutatedBody(valid: unknown): fc.Arbitrary<unknown> {
  if (!valid || typeof valid !== 'object' || Array.isArray(valid)) return hostileJson;
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.constant(valid),
    hostileJson,
    fc.tuple(fc.constantFrom(...(keys.length > 0 ? keys : ['x'])), hostileJson).map(([key, value]) => ({ ...valid, [key]: value })),
    fc.constantFrom(...(keys.length > 0 ? keys : ['x'])).map((key) => Object.fromEntries(Object.entries(valid).filter(([name]) => name !== key))),
    fc.tuple(fc.string({ maxLength: 12 }), hostileJson).map(([key, value]) => ({ ...valid, [key]: value })),
  );
}

const rawBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"a":', '[', 'null', '"x"', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '\u0000', '{"a":1}{"b":2}'),
);

/** Requests for `routes`: bodies, headers (Last-Event-ID among them), path parameters and queries, near their valid forms. */
export function fuzzRequests(routes: readonly RouteCase[]): fc.Arbitrary<FuzzRequest> {
  const hasBody = (route: RouteCase) => route.method === 'POST' || route.method === 'PATCH';
  return fc.constantFrom(...routes).chain((route) => fc.record({
    param: route.hasParam ? fc.option(pathParam, { freq: 2 }) : fc.constant(null),
    body: hasBody(route)
      ? fc.oneof({ weight: 4, arbitrary: mutatedBody(route.body).map((value) => safeStringify(value)) }, { weight: 1, arbitrary: rawBody })
      : fc.constant(undefined),
    contentType: hasBody(route) ? fc.option(contentType, { freq: 4 }) : fc.constant(null),
    lastEventId: fc.option(lastEventId, { freq: 2 }),
    query: fc.option(fc.dictionary(fc.constantFrom(...Object.keys(route.query ?? { after: '' }), 'after', 'limit', 'stream', 'api_key'), headerText.map(encodeURIComponent), { maxKeys: 3 }), { freq: 2 }),
    extra: fc.option(fc.record({ 'x-request-id': headerText, accept: fc.constantFrom('text/event-stream', 'application/json', '*/*', ''), authorization: headerText }, { requiredKeys: [] }), { freq: 2 }),
  }).map(({ param, body, contentType: type, lastEventId: lastId, query, extra }) => {
    const headers: Record<string, string> = { ...(extra ?? {}) };
    if (type === null && hasBody(route)) headers['content-type'] = 'application/json';
    else if (type) headers['content-type'] = type;
    if (lastId !== null) headers['last-event-id'] = lastId;
    const search = new URLSearchParams(route.query ?? {});
    for (const [key, value] of Object.entries(query ?? {})) search.set(key, decodeURIComponentSafe(value));
    const queryText = search.toString();
    const path = `${param === null ? route.path() : route.path(param)}${queryText ? `?${queryText}` : ''}`;
    return { route, method: route.method, path, headers, body };
  }));
}

/** Sends one request and checks the answer as every robustness test does: never a 5xx, never a hung or unfinished stream. */
export async function sendAndCheck(baseUrl: string, request: FuzzRequest): Promise<number> {
  const context = `${request.method} ${request.path.slice(0, 160)} ${JSON.stringify(request.headers).slice(0, 200)} body=${(request.body ?? '').slice(0, 200)}`;
  const response = await sendRaw(baseUrl, { method: request.method, path: request.path, headers: request.headers, body: request.body, signal: AbortSignal.timeout(HANG_GUARD_MS) })
    .catch((error: Error) => {
      throw new Error(`${context}: no complete answer (${error.name === 'TimeoutError' ? 'hung' : error.message})`);
    });
  const answer = await checkAnswer(response, { dialect: request.route.dialect, context, plainText: request.route.plainText });
  return answer.status;
}

function safeStringify(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
