import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../config/load-config-file.ts';
import type { RatePolicy } from './rate-policy.ts';

/** What a key may do beyond the defaults: its own request rate, concurrent runs and daily tokens. */
export type KeyLimits = { rate?: RatePolicy; maxConcurrentRuns?: number; dailyTokenBudget?: number };

/** One configured credential: the tenant it acts for, the SHA-256 of the key (never the key itself), its limits. */
export type ApiKeyEntry = { tenant: string; sha256: Buffer; admin?: boolean; limits?: KeyLimits };

export { DEFAULT_TENANT } from '../../store/store.ts';

const TENANT = /^[A-Za-z0-9_.-]{1,64}$/;
const HASHED = /^sha256:([0-9a-f]{64})$/i;

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A key as configured: the key itself, or `sha256:<64 hex>` of it (config file), so the file need not hold the secret. */
export function keyDigest(key: string): Buffer {
  const hashed = HASHED.exec(key);
  return hashed ? Buffer.from(hashed[1], 'hex') : sha256(key);
}

export function assertTenant(tenant: string, where: string): string {
  if (!TENANT.test(tenant)) throw new ConfigError(`${where}: tenant '${tenant}' must be 1-64 letters, digits, '_', '-' or '.'.`);
  return tenant;
}

/** `AGENTSTREAM_API_KEYS=tenantA:keyA,tenantB:keyB`. A key may hold ':' (only the first one separates). */
export function parseApiKeys(text: string | undefined): ApiKeyEntry[] {
  if (!text) return [];
  return text.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const separator = item.indexOf(':');
    if (separator < 1 || separator === item.length - 1) throw new ConfigError(`AGENTSTREAM_API_KEYS: each entry is 'tenant:key', got '${item.slice(0, 20)}…'.`);
    return { tenant: assertTenant(item.slice(0, separator), 'AGENTSTREAM_API_KEYS'), sha256: keyDigest(item.slice(separator + 1)) };
  });
}

/**
 * Finds the entry a presented key belongs to. The presented key is hashed and compared with every configured
 * digest in constant time (`timingSafeEqual` on equal-length digests), with no early exit, so neither the
 * position of a match nor a common prefix shows in the timing.
 */
export function createKeyRing(entries: readonly ApiKeyEntry[]) {
  return {
    size: entries.length,
    find(presented: string): ApiKeyEntry | undefined {
      const digest = sha256(presented);
      let found: ApiKeyEntry | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(digest, entry.sha256) && !found) found = entry;
      }
      return found;
    },
  };
}

export type KeyRing = ReturnType<typeof createKeyRing>;
