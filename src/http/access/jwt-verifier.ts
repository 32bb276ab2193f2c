import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** JWT bearer tokens: HS256 with a shared secret, or any asymmetric algorithm with keys from a JWKS URL. */
export type JwtOptions = {
  /** `AGENTSTREAM_JWT_SECRET`: HS256 shared secret. */
  secret?: string;
  /** `AGENTSTREAM_JWKS_URL`: where the issuer publishes its public keys (fetched and cached by `jose`). */
  jwksUrl?: string;
  /** `AGENTSTREAM_JWT_TENANT_CLAIM` (default `tenant`): the claim naming the tenant. */
  tenantClaim: string;
  /** `AGENTSTREAM_JWT_ISSUER` / `AGENTSTREAM_JWT_AUDIENCE`: checked when set. */
  issuer?: string;
  audience?: string;
};

/** Who a valid token speaks for. */
export type JwtIdentity = { tenant: string; subject?: string };

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** True when a bearer credential has the shape of a compact JWT (three base64url parts), so it is verified as one. */
export function looksLikeJwt(credential: string): boolean {
  return COMPACT_JWS.test(credential);
}

/**
 * Verifies a bearer JWT with `jose` (signature, `exp`/`nbf`, issuer and audience when configured) and returns its
 * tenant; undefined when the token is not valid or names no tenant. Never throws for a bad token.
 */
export function createJwtVerifier(options: JwtOptions): (token: string) => Promise<JwtIdentity | undefined> {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const checks = { issuer: options.issuer, audience: options.audience };
  return async (token) => {
    try {
      const { payload } = secret
        ? await jwtVerify(token, secret, { ...checks, algorithms: ['HS256'] })
        : await jwtVerify(token, jwks!, { ...checks, algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] });
      const tenant = payload[options.tenantClaim];
      if (typeof tenant !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(tenant)) return undefined;
      return { tenant, subject: payload.sub };
    } catch (error) {
      // A bad, expired or foreign token is a 401; a JWKS endpoint that cannot be reached is one too (logged by the caller's 401).
      if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
      throw error;
    }
  };
}
