// Password hashing with scrypt (node:crypto) in a versioned PHC-style format, verified in constant time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/*
 * Encoded form: `$scrypt$v=1$ln=<log2 N>,r=<r>,p=<p>$<salt base64url>$<hash base64url>`.
 * The parameters travel with the hash, so raising the cost later keeps old hashes verifiable.
 * Default ln=15 (N=32768), r=8, p=1: ~32 MiB and tens of milliseconds per hash (OWASP minimum is
 * N=2^17 with r=8,p=1 for interactive logins; Pipegate relies on the verification cache for
 * throughput, see PasswordVerifier).
 */
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const ENCODED =
  /^\$scrypt\$v=1\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** scrypt cost parameters. */
export interface ScryptCost {
  /** log2 of N (CPU/memory cost), 10–20. */
  ln: number;
  r: number;
  p: number;
}

/** Default cost for new hashes. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { ln: 15, r: 8, p: 1 };

function derive(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const N = 2 ** cost.ln;
  const opts: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, opts, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password with a random 128-bit salt. */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  if (!(cost.ln >= 10 && cost.ln <= 20))
    throw new RangeError('scrypt ln must be between 10 and 20');
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, cost, HASH_BYTES);
  return `$scrypt$v=1$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** True when `encoded` looks like a hash produced by hashPassword. */
export function isPasswordHash(encoded: string): boolean {
  return ENCODED.test(encoded);
}

/**
 * Verifies a password against an encoded hash in constant time. A malformed hash yields false (and
 * still costs a hash, so timing does not tell a broken record from a wrong password).
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = ENCODED.exec(encoded);
  if (!m) {
    await derive(password, randomBytes(SALT_BYTES), DEFAULT_SCRYPT_COST, HASH_BYTES);
    return false;
  }
  const cost = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (cost.ln < 10 || cost.ln > 20 || cost.r < 1 || cost.p < 1) return false;
  const expected = Buffer.from(m[5] ?? '', 'base64url');
  if (expected.length < 16) return false;
  const actual = await derive(
    password,
    Buffer.from(m[4] ?? '', 'base64url'),
    cost,
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}
