// Client side of DPoP for the gateway tests: a client key pair and proofs signed with it (jose).
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, KeyObject } from 'jose';
import { accessTokenHash } from '../../src/security/dpop/index.js';

export interface ClientKey {
  priv: KeyObject;
  jwk: JWK;
  privJwk: JWK;
  jkt: string;
}

export async function clientKey(alg = 'ES256'): Promise<ClientKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(pair.publicKey);
  return {
    priv: pair.privateKey as KeyObject,
    jwk,
    privJwk: await exportJWK(pair.privateKey),
    jkt: await calculateJwkThumbprint(jwk, 'sha256'),
  };
}

/** An ES256 proof for `htm` at `htu` (with `ath` when a token is given); `claims` override. */
export function signProof(
  k: ClientKey,
  htm: string,
  htu: string,
  token?: string,
  claims: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({
    jti: crypto.randomUUID(),
    htm,
    htu,
    iat: Math.floor(Date.now() / 1000),
    ...(token ? { ath: accessTokenHash(token) } : {}),
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: k.jwk })
    .sign(k.priv);
}
