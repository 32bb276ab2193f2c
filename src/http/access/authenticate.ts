import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import { createKeyRing, DEFAULT_TENANT, type ApiKeyEntry, type KeyLimits } from './api-keys.ts';
import { createJwtVerifier, looksLikeJwt, type JwtOptions } from './jwt-verifier.ts';

export type AuthOptions = {
  /** Tenant keys (`AGENTSTREAM_API_KEYS`, the legacy `AGENTSTREAM_API_KEY` as tenant `default`, the config file) and the admin key. */
  keys: readonly ApiKeyEntry[];
  jwt?: JwtOptions;
  /** Limits of keys that set none of their own (`AGENTSTREAM_RATE_LIMIT`, `…_RUNS`, `AGENTSTREAM_TOKEN_BUDGET`). */
  defaults: KeyLimits;
};

const CHALLENGE = { 'www-authenticate': 'Bearer realm="agentstream"' };

/**
 * The auth hook of every API route. With no keys and no JWT configured (the embedded default), every request is
 * the `default` tenant with admin rights. Otherwise a request needs `Authorization: Bearer <key or JWT>` or
 * `x-api-key: <key>`; a browser `EventSource` (which cannot send headers) may pass `?api_key=` on a GET that asks
 * for `text/event-stream`, and nowhere else. A missing or wrong credential is a 401 with `WWW-Authenticate`.
 */
export function authenticate(options: AuthOptions) {
  const ring = createKeyRing(options.keys);
  const verifyJwt = options.jwt ? createJwtVerifier(options.jwt) : undefined;
  const open = ring.size === 0 && !verifyJwt;
  const withDefaults = (limits: KeyLimits | undefined): KeyLimits => ({ ...options.defaults, ...limits });
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (open) {
      request.access = { tenant: DEFAULT_TENANT, admin: true, key: `address:${request.ip}`, limits: options.defaults };
      return;
    }
    if (request.method === 'OPTIONS') return;
    const credential = credentialOf(request);
    if (credential !== undefined) {
      const entry = ring.find(credential);
      if (entry) {
        // The key's identity for its limits: a prefix of its digest, never the key.
        request.access = { tenant: entry.tenant, admin: entry.admin === true, key: `key:${entry.sha256.toString('hex').slice(0, 24)}`, limits: withDefaults(entry.limits) };
        return;
      }
      if (verifyJwt && looksLikeJwt(credential)) {
        const identity = await verifyJwt(credential);
        if (identity) {
          request.access = { tenant: identity.tenant, admin: false, key: `jwt:${identity.tenant}:${identity.subject ?? ''}`, limits: options.defaults };
          return;
        }
      }
    }
    throw new AppError('unauthorized', {
      message: credential === undefined
        ? 'This server needs an API key: send Authorization: Bearer <key> or x-api-key: <key>.'
        : 'The API key or token is not valid.',
      headers: CHALLENGE,
    });
  };
}

function credentialOf(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header.trim();
  // EventSource cannot set headers: the query parameter is accepted only where an EventSource connects.
  if (request.method === 'GET' && /text\/event-stream/.test(request.headers.accept ?? '')) {
    const query = request.query as Record<string, unknown> | undefined;
    if (typeof query?.api_key === 'string' && query.api_key !== '') return query.api_key;
  }
  return undefined;
}
