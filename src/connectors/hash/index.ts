// hash: replaces listed fields by their hash, or outputs the hash of the whole message (compatible with the reference Hash connector).
import { createHash, createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { AccountResolver } from '../../core/account-types.js';
import { defineConnector } from '../../core/connector.js';
import { defineOwn, isJsonObject } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { StepContext } from '../../core/step-context.js';
import { PlatformError } from '../../errors/index.js';
import { secretKeyBytes } from '../crypto/key-material.js';

declare module '../../core/step-context.js' {
  interface HostServices {
    accounts?: AccountResolver;
  }
}

export const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'HmacSHA1', 'HmacSHA256', 'HmacSHA384', 'HmacSHA512', 'BCrypt'] as const;
type Algorithm = (typeof HASH_ALGORITHMS)[number];

interface HashParams {
  operation: 'hash-fields' | 'hash-payload';
  fields: string[];
  algorithm: Algorithm;
  encoding: 'hex' | 'base64';
  account?: string;
  bcryptCost: number;
}

const DIGEST: Record<Exclude<Algorithm, 'BCrypt'>, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  HmacSHA1: 'sha1',
  HmacSHA256: 'sha256',
  HmacSHA384: 'sha384',
  HmacSHA512: 'sha512',
};

/** The hashing function of a step: key resolved once per run. */
async function hasher(ctx: StepContext, p: HashParams): Promise<(text: string, what: string) => Promise<string>> {
  if (p.algorithm === 'BCrypt') {
    return async (text, what) => {
      // bcrypt reads at most 72 bytes: refusing longer input beats silently ignoring its end.
      if (Buffer.byteLength(text) > 72) throw new PlatformError('ERR_HASH_INPUT', { what, reason: 'BCrypt accepts at most 72 bytes' });
      return bcrypt.hash(text, p.bcryptCost);
    };
  }
  const digest = DIGEST[p.algorithm];
  if (p.algorithm.startsWith('Hmac')) {
    if (p.account === undefined) throw new PlatformError('ERR_HASH_KEY_REQUIRED', { algorithm: p.algorithm });
    if (!ctx.host.accounts) throw new PlatformError('ERR_HTTP_UNAVAILABLE', {}, { message: 'Accounts are not available in this host; the hash step cannot read its key' });
    const key = secretKeyBytes(p.account, await ctx.host.accounts.resolve(p.account), p.algorithm, 'hash');
    return async (text) => createHmac(digest, key).update(text, 'utf8').digest(p.encoding);
  }
  return async (text) => createHash(digest).update(text, 'utf8').digest(p.encoding);
}

function fieldText(value: JsonValue, field: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  throw new PlatformError('ERR_HASH_INPUT', { what: `field "${field}"`, reason: 'only text, number and boolean values are hashed' });
}

export const hashConnector = defineConnector<HashParams>({
  type: 'hash',
  version: 1,
  title: 'Hash',
  category: 'security',
  summary:
    'Replaces the text of listed top-level fields by their hash (`hash-fields`), or outputs `{ "hash": "…" }` for the JSON text of the whole message (`hash-payload`). SHA-256/384/512, HMAC-SHA1/256/384/512 with a key from a secret-key account, BCrypt for passwords; hex or Base64. MD5 and SHA-1 are for checksums and legacy interfaces only: they are unfit for security uses (collisions are practical).',
  failOnErrorDefault: false,
  parameters: {
    operation: { schema: { enum: ['hash-fields', 'hash-payload'] }, default: 'hash-fields', description: '`hash-fields`: each listed field\'s value replaced by its hash (missing and null fields are left as they are). `hash-payload`: the output is `{ "hash": … }` of the message\'s JSON text.' },
    fields: { schema: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true }, default: [], description: 'hash-fields: top-level field names. Numbers and booleans are hashed as their JSON text; objects and arrays are refused.' },
    algorithm: { schema: { enum: [...HASH_ALGORITHMS] }, default: 'SHA-512', description: 'MD5 and SHA-1 (NOT for security uses), SHA-256/384/512, HmacSHA1/256/384/512 (key from `account`), BCrypt (salted, slow; inputs up to 72 bytes; output the standard `$2b$…` text, `encoding` does not apply).' },
    encoding: { schema: { enum: ['hex', 'base64'] }, default: 'hex', description: 'Text form of the digest (the reference platform\'s "Result As Hexadecimal").' },
    account: { schema: { type: 'string', minLength: 1 }, account: true, description: 'HMAC algorithms: a `secret-key` account holding the key.' },
    bcryptCost: { schema: { type: 'integer', minimum: 4, maximum: 15 }, default: 10, description: 'BCrypt: log2 of the work factor.' },
  },
  prepare(params, ctx) {
    if (typeof params.account === 'string') ctx.useAccount?.(params.account);
    const algorithm = params.algorithm as string;
    if (algorithm.startsWith('Hmac') && params.account === undefined) ctx.report(new PlatformError('ERR_HASH_KEY_REQUIRED', { algorithm }), '/account');
    return undefined;
  },
  async run(ctx, { params, message }) {
    const hash = await hasher(ctx, params);
    if (params.operation === 'hash-payload') return { hash: await hash(JSON.stringify(message), 'the message') };
    if (!isJsonObject(message)) throw new PlatformError('ERR_HASH_INPUT', { what: 'the message', reason: 'hash-fields needs a JSON object message' });
    const out: JsonObject = { ...message };
    for (const field of params.fields) {
      if (!Object.prototype.hasOwnProperty.call(message, field)) continue;
      const value = message[field] as JsonValue;
      if (value === null) continue;
      defineOwn(out, field, await hash(fieldText(value, field), `field "${field}"`));
    }
    return out;
  },
  example: ['type: hash', 'operation: hash-fields', 'fields: [email, document]', 'algorithm: HmacSHA256', 'account: pseudonymisation-key'].join('\n'),
});
