// The algorithm tables of SPEC §5.2: which key each JWS/JWE algorithm needs (RFC 7518).

/** JWS algorithms (RFC 7518 §3, RFC 8812 for ES256K, RFC 8037 for EdDSA). */
export const jwsAlgorithms = [
  'HS256', 'HS384', 'HS512',
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512', 'ES256K',
  'EdDSA',
] as const;

/** JWE key-management algorithms (RFC 7518 §4). */
export const jweAlgorithms = [
  'RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5',
  'A128KW', 'A192KW', 'A256KW',
  'A128GCMKW', 'A192GCMKW', 'A256GCMKW',
  'dir',
  'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW',
  'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW',
] as const;

/** JWE content-encryption algorithms (RFC 7518 §5). */
export const contentEncryptions = [
  'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512',
  'A128GCM', 'A192GCM', 'A256GCM',
] as const;

export type JwsAlg = (typeof jwsAlgorithms)[number];
export type JweAlg = (typeof jweAlgorithms)[number];
export type ContentEnc = (typeof contentEncryptions)[number];

/** What a key must be for an algorithm. */
export type KeyRequirement =
  /** A shared secret of at least `minBytes` (exactly `exactBytes` when set). */
  | { kind: 'secret'; minBytes: number; exactBytes?: number }
  /** An RSA key of at least 2048 bits (RFC 7518 §3.3, §4.2, §4.3). */
  | { kind: 'rsa' }
  /** An EC key on one of the named curves (node names), or an OKP key of one of the types. */
  | { kind: 'ec'; curves: string[]; okp?: string[] }
  /** An OKP key of one of the node key types. */
  | { kind: 'okp'; types: string[] }
  /** Any secret (a PBES2 password). */
  | { kind: 'password' };

const cekBytes: Record<ContentEnc, number> = {
  'A128CBC-HS256': 32, 'A192CBC-HS384': 48, 'A256CBC-HS512': 64,
  A128GCM: 16, A192GCM: 24, A256GCM: 32,
};

const ecdhCurves = { kind: 'ec', curves: ['prime256v1', 'secp384r1', 'secp521r1'], okp: ['x25519'] } as const;

/** The key a JWS algorithm needs. */
export function jwsKeyRequirement(alg: JwsAlg): KeyRequirement {
  if (alg.startsWith('HS')) return { kind: 'secret', minBytes: Number(alg.slice(2)) / 8 };
  if (alg.startsWith('RS') || alg.startsWith('PS')) return { kind: 'rsa' };
  if (alg === 'ES256') return { kind: 'ec', curves: ['prime256v1'] };
  if (alg === 'ES384') return { kind: 'ec', curves: ['secp384r1'] };
  if (alg === 'ES512') return { kind: 'ec', curves: ['secp521r1'] };
  if (alg === 'ES256K') return { kind: 'ec', curves: ['secp256k1'] };
  return { kind: 'okp', types: ['ed25519', 'ed448'] };
}

/** The key a JWE key-management algorithm needs (`enc` matters for `dir`). */
export function jweKeyRequirement(alg: JweAlg, enc: ContentEnc | undefined): KeyRequirement {
  if (alg.startsWith('RSA')) return { kind: 'rsa' };
  if (alg.startsWith('ECDH-ES')) return { ...ecdhCurves, curves: [...ecdhCurves.curves], okp: [...ecdhCurves.okp] };
  if (alg.startsWith('PBES2')) return { kind: 'password' };
  if (alg === 'dir') {
    const bytes = enc ? cekBytes[enc] : 16;
    return enc ? { kind: 'secret', minBytes: bytes, exactBytes: bytes } : { kind: 'secret', minBytes: 16 };
  }
  const bytes = Number(alg.slice(1, 4)) / 8;
  return { kind: 'secret', minBytes: bytes, exactBytes: bytes };
}

export function isJwsAlg(alg: unknown): alg is JwsAlg {
  return typeof alg === 'string' && (jwsAlgorithms as readonly string[]).includes(alg);
}
export function isJweAlg(alg: unknown): alg is JweAlg {
  return typeof alg === 'string' && (jweAlgorithms as readonly string[]).includes(alg);
}
export function isContentEnc(enc: unknown): enc is ContentEnc {
  return typeof enc === 'string' && (contentEncryptions as readonly string[]).includes(enc);
}

/** True when the algorithm uses a shared secret (HS*, A*KW, A*GCMKW, dir, PBES2). */
export function isSymmetric(alg: JwsAlg | JweAlg): boolean {
  const kind = isJwsAlg(alg) ? jwsKeyRequirement(alg).kind : jweKeyRequirement(alg, undefined).kind;
  return kind === 'secret' || kind === 'password';
}

/**
 * The `use` / `key_ops` values a JWK must allow for an operation (RFC 7517 §4.2, §4.3). `sign` and
 * `decrypt` need private or secret keys; `verify` and `encrypt` public or secret ones.
 */
export type KeyUsage = 'sign' | 'verify' | 'encrypt' | 'decrypt';

/** key_ops names that allow `usage` for an algorithm (RFC 7517 §4.3). */
export function allowedKeyOps(usage: KeyUsage, alg: JwsAlg | JweAlg): string[] {
  if (usage === 'sign' || usage === 'verify') return [usage];
  if (alg === 'dir') return [usage];
  if (alg === 'ECDH-ES') return usage === 'decrypt' ? ['deriveKey', 'deriveBits'] : ['deriveKey', 'deriveBits', 'encrypt'];
  return usage === 'encrypt' ? ['wrapKey', 'encrypt', 'deriveKey', 'deriveBits'] : ['unwrapKey', 'decrypt', 'deriveKey', 'deriveBits'];
}
