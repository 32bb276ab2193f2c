import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.ts';

export type CrossSiteOptions = {
  /** The address the server binds: on a loopback bind, the `Host` header must name a loopback host (DNS rebinding). */
  bindHost: string;
  /** `AGENTSTREAM_ALLOWED_HOSTS`: more host names the server answers to (any port), e.g. a reverse proxy's name. */
  allowedHosts: readonly string[];
  /** The CORS allowlist; `*` allows every origin. Same-origin requests (the web UI) are always allowed. */
  corsOrigins: readonly string[];
};

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for an address only this machine can reach: 127.0.0.0/8, ::1, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1' || name === '0:0:0:0:0:0:0:1' || name === '::ffff:127.0.0.1';
}

/** The host part of a `Host` header (`localhost:8000`, `[::1]:8000`, `example.com`), lowercased, without the port. */
function hostName(header: string): string {
  const trimmed = header.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  const colon = trimmed.lastIndexOf(':');
  return colon >= 0 && trimmed.indexOf(':') === colon ? trimmed.slice(0, colon) : trimmed;
}

/**
 * Refuses what a web page on another site could make a browser send (issue 11):
 * - on a loopback bind, a `Host` that is neither a loopback name nor configured: DNS rebinding, where a page's own
 *   host name is re-pointed at 127.0.0.1, so the browser treats our answers as that page's (403 `host_not_allowed`);
 * - a state-changing request (POST, PUT, PATCH, DELETE) whose `Origin` is present and neither allowed by CORS nor
 *   this server's own origin: a cross-site form or `fetch(…, {mode: 'no-cors'})` (403 `origin_not_allowed`).
 * Clients that are not browsers send no `Origin` and are not affected. JSON-only bodies (`app.ts`) close the rest:
 * a cross-site page cannot send `application/json` without a CORS preflight, which the allowlist answers.
 */
export function guardCrossSite(options: CrossSiteOptions) {
  const checkHost = isLoopbackHost(options.bindHost);
  const allowedHosts = new Set(options.allowedHosts.map((host) => hostName(host)));
  const anyOrigin = options.corsOrigins.includes('*');
  const origins = new Set(options.corsOrigins);
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const host = request.headers.host;
    if (checkHost && host !== undefined) {
      const name = hostName(host);
      if (!isLoopbackHost(name) && !allowedHosts.has(name)) {
        throw new AppError('host_not_allowed', {
          message: `This server is bound to ${options.bindHost} and answers only to loopback host names; '${name.slice(0, 100)}' is not one (set AGENTSTREAM_ALLOWED_HOSTS to add it).`,
        });
      }
    }
    const origin = request.headers.origin;
    if (origin === undefined || !STATE_CHANGING.has(request.method) || anyOrigin || origins.has(origin)) return;
    if (host !== undefined && isSameOrigin(origin, host)) return;
    throw new AppError('origin_not_allowed', {
      message: `Origin '${origin.slice(0, 200)}' may not ${request.method} here; allow it with AGENTSTREAM_CORS_ORIGINS.`,
    });
  };
}

/** The browser's own page (the web UI, served by this server) sends an Origin whose host:port is our Host header. */
function isSameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}
