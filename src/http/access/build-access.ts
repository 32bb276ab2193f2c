import { ConfigError, type LoadedConfigFile } from '../../config/load-config-file.ts';
import type { ServerConfig } from '../../config/server-config.ts';
import { assertTenant, DEFAULT_TENANT, keyDigest, parseApiKeys, sha256, type ApiKeyEntry } from './api-keys.ts';
import type { AuthOptions } from './authenticate.ts';
import { isLoopbackHost } from './cross-site-guard.ts';
import { parseRatePolicy } from './rate-policy.ts';

/** Every credential and limit the server accepts, from the environment and the config file's `apiKeys`. */
export function buildAccess(config: ServerConfig, file: LoadedConfigFile): AuthOptions {
  const keys: ApiKeyEntry[] = [...parseApiKeys(config.apiKeys)];
  if (config.apiKey) keys.push({ tenant: DEFAULT_TENANT, sha256: sha256(config.apiKey) });
  if (config.adminKey) keys.push({ tenant: 'admin', sha256: sha256(config.adminKey), admin: true });
  (file.raw.apiKeys ?? []).forEach((entry, index) => {
    const where = `${file.path ?? 'config file'} apiKeys.${index}`;
    keys.push({
      tenant: assertTenant(entry.tenant, where),
      sha256: keyDigest(entry.key),
      admin: entry.admin,
      limits: {
        rate: entry.rateLimit ? parseRatePolicy(entry.rateLimit, `${where}.rateLimit`) : undefined,
        maxConcurrentRuns: entry.maxConcurrentRuns,
        dailyTokenBudget: entry.dailyTokenBudget,
      },
    });
  });
  for (const entry of keys) {
    if (entry.limits) for (const name of ['rate', 'maxConcurrentRuns', 'dailyTokenBudget'] as const) if (entry.limits[name] === undefined) delete entry.limits[name];
  }
  const seen = new Set<string>();
  for (const entry of keys) {
    const digest = entry.sha256.toString('hex');
    if (seen.has(digest)) throw new ConfigError('The same API key is configured twice; each key must belong to one tenant.');
    seen.add(digest);
  }
  if (config.jwtSecret && config.jwksUrl) throw new ConfigError('Set AGENTSTREAM_JWT_SECRET or AGENTSTREAM_JWKS_URL, not both.');
  const jwt = config.jwtSecret || config.jwksUrl
    ? { secret: config.jwtSecret, jwksUrl: config.jwksUrl, tenantClaim: config.jwtTenantClaim, issuer: config.jwtIssuer, audience: config.jwtAudience }
    : undefined;
  return {
    keys,
    jwt,
    defaults: {
      ...(config.rateLimit ? { rate: parseRatePolicy(config.rateLimit, 'AGENTSTREAM_RATE_LIMIT') } : {}),
      ...(config.rateLimitRuns ? { maxConcurrentRuns: config.rateLimitRuns } : {}),
      ...(config.tokenBudget ? { dailyTokenBudget: config.tokenBudget } : {}),
    },
  };
}

/**
 * Bound where other machines can reach it, with no key configured, the server would hand anyone its model
 * provider keys: it refuses to start unless told `--insecure` (or `AGENTSTREAM_INSECURE=1`). Loopback needs no key.
 */
export function assertSafeBind(config: ServerConfig, access: AuthOptions): void {
  if (isLoopbackHost(config.host) || config.insecure || access.keys.length > 0 || access.jwt) return;
  throw new ConfigError(`refusing to listen on ${config.host} with no API keys: set AGENTSTREAM_API_KEYS (or AGENTSTREAM_API_KEY), or pass --insecure (AGENTSTREAM_INSECURE=1) to allow anyone who can reach it.`);
}
