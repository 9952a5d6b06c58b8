import { errors, exportJWK, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';

import type { AppEnv } from '@/env';
import { USER_ROLES, type UserRole } from '@/identity/tables';

/** The only algorithm we sign with and the only one we accept (no `none`, no HS/RS confusion). */
const ACCESS_TOKEN_ALG = 'ES256';
export const ACCESS_TOKEN_TTL_SECONDS = 900;
/**
 * `aud` of every access token: a token minted for another audience (a future refresh/e-mail/service token signed
 * with the same key) is never accepted as an API access token.
 */
export const ACCESS_TOKEN_AUDIENCE = 'edge-shop-api';

/** What a verified access token says about its bearer. */
export interface AccessClaims {
  userId: string;
  email: string;
  role: UserRole;
  /** The user's session version when the token was issued; stale after logout, reset or role change. */
  sessionVersion: number;
}

const claimsSchema = z.object({
  // z.guid(): the seed's fixed user ids (0000…0002) are not RFC 4122 v1–v8, which z.uuid() demands.
  sub: z.guid(),
  email: z.string(),
  role: z.enum(USER_ROLES),
  sv: z.number().int().min(0),
});

interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

const keyCache = new Map<string, Promise<SigningKeys>>();

/**
 * Loads the ES256 key pair from the `JWT_PRIVATE_KEY` secret (a private JWK as JSON, with `kid`).
 * Locally `npm start` writes one into `.dev.vars`; production sets it with `wrangler secret put`.
 */
function signingKeys(env: AppEnv): Promise<SigningKeys> {
  const secret = env.JWT_PRIVATE_KEY;
  if (!secret) throw new Error('JWT_PRIVATE_KEY is not configured');
  let keys = keyCache.get(secret);
  if (!keys) {
    keys = (async () => {
      const jwk = JSON.parse(secret) as JWK;
      if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.kid) throw new Error('JWT_PRIVATE_KEY must be a P-256 private JWK with a kid');
      const { d: _d, ...publicJwk } = jwk;
      const publicOnly: JWK = { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y, kid: jwk.kid, alg: ACCESS_TOKEN_ALG, use: 'sig' };
      return {
        kid: jwk.kid,
        privateKey: (await importJWK(jwk, ACCESS_TOKEN_ALG)) as CryptoKey,
        publicKey: (await importJWK(publicOnly, ACCESS_TOKEN_ALG)) as CryptoKey,
        publicJwk: publicOnly,
      };
    })();
    keys.catch(() => keyCache.delete(secret));
    keyCache.set(secret, keys);
  }
  return keys;
}

const issuer = (env: AppEnv) => env.JWT_ISSUER || 'edge-shop';

/** Signs a short-lived access token (claims: sub/user_id, email, role, jti, iat, exp, iss, sv). */
export async function signAccessToken(env: AppEnv, claims: AccessClaims): Promise<string> {
  const { kid, privateKey } = await signingKeys(env);
  return new SignJWT({ user_id: claims.userId, email: claims.email, role: claims.role, sv: claims.sessionVersion })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(issuer(env))
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(privateKey);
}

/**
 * Verifies signature, algorithm, issuer, audience and expiry. Returns null for any token that fails; the
 * session version is checked by the caller against the database.
 */
export async function verifyAccessToken(env: AppEnv, token: string): Promise<AccessClaims | null> {
  const { publicKey } = await signingKeys(env);
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: [ACCESS_TOKEN_ALG],
      issuer: issuer(env),
      audience: ACCESS_TOKEN_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub', 'aud'],
    });
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) return null;
    return { userId: parsed.data.sub, email: parsed.data.email, role: parsed.data.role, sessionVersion: parsed.data.sv };
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}

/**
 * A short-lived token for another audience than the API (e.g. a waiting room's admission), signed with the same
 * key: `aud` keeps it from ever passing as an access token, and an access token from passing as one of these.
 */
export async function signScopedToken(env: AppEnv, audience: string, subject: string, claims: Record<string, unknown>, options: { jti: string; expiresAt: number }): Promise<string> {
  const { kid, privateKey } = await signingKeys(env);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid, typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(issuer(env))
    .setAudience(audience)
    .setJti(options.jti)
    .setIssuedAt()
    .setExpirationTime(Math.floor(options.expiresAt / 1000))
    .sign(privateKey);
}

/** The payload of a valid {@link signScopedToken} token for `audience`, or null (bad signature, expired, other audience). */
export async function verifyScopedToken(env: AppEnv, token: string, audience: string): Promise<Record<string, unknown> | null> {
  const { publicKey } = await signingKeys(env);
  try {
    const { payload } = await jwtVerify(token, publicKey, { algorithms: [ACCESS_TOKEN_ALG], issuer: issuer(env), audience, requiredClaims: ['exp', 'sub', 'jti'] });
    return payload;
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}

/** The public half of the signing key as a JWK Set, for `/.well-known/jwks.json`. */
export async function publicJwks(env: AppEnv): Promise<{ keys: JWK[] }> {
  return { keys: [(await signingKeys(env)).publicJwk] };
}

/** Makes a new signing key as the JSON the `JWT_PRIVATE_KEY` secret holds (local dev and tests). */
export async function generateSigningKey(): Promise<string> {
  const { generateKeyPair } = await import('jose');
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return JSON.stringify({ ...jwk, kid: crypto.randomUUID(), alg: ACCESS_TOKEN_ALG });
}
