// Builds and checks typed account values from named fields, and exposes their fields to expressions.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { AccountType, AccountValue } from '../core/account-types.js';
import { accountTypes } from '../core/account-types.js';
import { isJsonObject, parseJsonSafe } from '../core/json.js';
import type { JsonObject } from '../core/json.js';
import { PlatformError } from '../errors/index.js';

/** Longest accepted field value (the reference platform's limit). */
export const MAX_ACCOUNT_FIELD_CHARS = 10_000;
const LABEL = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The fields each type takes: required ones, then optional ones. */
export const ACCOUNT_FIELDS: Record<AccountType, { required: string[]; optional: string[] }> = {
  'secret-key': { required: ['value'], optional: ['encoding'] },
  'private-key': { required: ['pem'], optional: ['passphrase'] },
  'public-key': { required: ['pem'], optional: [] },
  'certificate-chain': { required: ['pem'], optional: ['passphrase'] },
  jwk: { required: ['jwk'], optional: [] },
  basic: { required: ['username', 'password'], optional: [] },
  'api-key': { required: ['key'], optional: ['name', 'in'] },
  'custom-auth-header': { required: ['name', 'value'], optional: [] },
  'oauth-bearer': { required: ['token'], optional: [] },
  'oauth-client-credentials': { required: ['tokenUrl', 'clientId', 'clientSecret'], optional: ['scopes', 'audience', 'clientAuth'] },
  database: { required: ['driver', 'host', 'database', 'username'], optional: ['port', 'password', 'ssl', 'maxConnections'] },
};

/** Checks a label; throws ERR_ACCOUNT_LABEL. */
export function checkLabel(label: string): void {
  if (!LABEL.test(label) || label.length > 64) throw new PlatformError('ERR_ACCOUNT_LABEL', { label });
}

function invalid(label: string, reason: string, cause?: unknown): PlatformError {
  return new PlatformError('ERR_ACCOUNT_INVALID', { label, reason }, { cause });
}

/** Builds an AccountValue of `type` from named text fields, checking that keys and PEMs parse. */
export function buildAccountValue(label: string, type: string, fields: Record<string, string>): AccountValue {
  if (!(accountTypes as readonly string[]).includes(type)) throw invalid(label, `unknown type "${type}" (one of ${accountTypes.join(', ')})`);
  const spec = ACCOUNT_FIELDS[type as AccountType];
  for (const name of Object.keys(fields)) {
    if (!spec.required.includes(name) && !spec.optional.includes(name)) throw invalid(label, `type ${type} has no field "${name}" (fields: ${[...spec.required, ...spec.optional].join(', ')})`);
    if (fields[name]!.length > MAX_ACCOUNT_FIELD_CHARS) throw invalid(label, `field "${name}" is longer than ${MAX_ACCOUNT_FIELD_CHARS} characters`);
  }
  for (const name of spec.required) if (!fields[name]) throw invalid(label, `type ${type} needs the field "${name}"`);
  const f = fields as Record<string, string>;
  switch (type as AccountType) {
    case 'secret-key': {
      const encoding = f.encoding ?? 'raw';
      if (encoding !== 'raw' && encoding !== 'base64') throw invalid(label, 'encoding must be raw or base64');
      if (encoding === 'base64' && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(f.value!)) throw invalid(label, 'value is not Base64 text');
      return { type: 'secret-key', value: f.value!, encoding };
    }
    case 'private-key':
      tryKey(label, 'pem', () => createPrivateKey({ key: f.pem!, format: 'pem', passphrase: f.passphrase }));
      return { type: 'private-key', pem: f.pem!, ...(f.passphrase ? { passphrase: f.passphrase } : {}) };
    case 'public-key':
      tryKey(label, 'pem', () => (f.pem!.includes('CERTIFICATE') ? new X509Certificate(f.pem!) : createPublicKey(f.pem!)));
      return { type: 'public-key', pem: f.pem! };
    case 'certificate-chain':
      tryKey(label, 'pem', () => new X509Certificate(f.pem!));
      return { type: 'certificate-chain', pem: f.pem!, ...(f.passphrase ? { passphrase: f.passphrase } : {}) };
    case 'jwk': {
      let jwk: unknown;
      try {
        jwk = parseJsonSafe(f.jwk!);
      } catch (err) {
        throw invalid(label, 'jwk is not JSON', err);
      }
      if (!isJsonObject(jwk) || (typeof jwk.kty !== 'string' && !Array.isArray(jwk.keys))) throw invalid(label, 'jwk must be a JWK (with "kty") or a JWK Set (with "keys")');
      return { type: 'jwk', jwk };
    }
    case 'basic':
      return { type: 'basic', username: f.username!, password: f.password! };
    case 'api-key': {
      const place = f.in ?? 'header';
      if (place !== 'header' && place !== 'query') throw invalid(label, 'in must be header or query');
      if (f.name !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(f.name)) throw invalid(label, 'name is not a valid header or query parameter name');
      return { type: 'api-key', key: f.key!, ...(f.name ? { name: f.name } : {}), ...(f.in ? { in: place } : {}) };
    }
    case 'oauth-client-credentials':
      return buildClientCredentials(label, f);
    case 'database':
      return buildDatabase(label, f);
    case 'custom-auth-header':
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(f.name!)) throw invalid(label, 'name is not a valid HTTP header name');
      return { type: 'custom-auth-header', name: f.name!, value: f.value! };
    case 'oauth-bearer':
      return { type: 'oauth-bearer', token: f.token! };
  }
}

function tryKey(label: string, field: string, parse: () => unknown): void {
  try {
    parse();
  } catch (err) {
    throw invalid(label, `field "${field}" is not a readable PEM (wrong format or passphrase)`, err);
  }
}

/**
 * The fields `{{ account.<label>.<field> }}` reads. Names follow the reference platform where it has
 * them (`username`, `password`, `token`, `header-name`, `header-value`, `value`).
 */
export function expressionFields(value: AccountValue): JsonObject {
  switch (value.type) {
    case 'secret-key':
      return { value: value.value, encoding: value.encoding };
    case 'private-key':
    case 'certificate-chain':
      return { pem: value.pem };
    case 'public-key':
      return { pem: value.pem };
    case 'jwk':
      return { jwk: value.jwk };
    case 'basic':
      return { username: value.username, password: value.password };
    case 'api-key':
      return { key: value.key, value: value.key };
    case 'custom-auth-header':
      return { name: value.name, value: value.value, 'header-name': value.name, 'header-value': value.value };
    case 'oauth-bearer':
      return { token: value.token };
    case 'oauth-client-credentials':
      return { clientId: value.clientId, clientSecret: value.clientSecret };
    case 'database':
      return { username: value.username, ...(value.password ? { password: value.password } : {}) };
  }
}

function buildClientCredentials(label: string, f: Record<string, string>): AccountValue {
  let url: URL;
  try {
    url = new URL(f.tokenUrl!);
  } catch (err) {
    throw invalid(label, 'tokenUrl is not an absolute URL', err);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(label, 'tokenUrl must be an http(s) URL');
  const clientAuth = f.clientAuth ?? 'basic';
  if (clientAuth !== 'basic' && clientAuth !== 'post') throw invalid(label, 'clientAuth must be basic or post');
  return {
    type: 'oauth-client-credentials',
    tokenUrl: f.tokenUrl!,
    clientId: f.clientId!,
    clientSecret: f.clientSecret!,
    ...(f.scopes ? { scopes: f.scopes } : {}),
    ...(f.audience ? { audience: f.audience } : {}),
    ...(f.clientAuth ? { clientAuth } : {}),
  };
}

function buildDatabase(label: string, f: Record<string, string>): AccountValue {
  const driver = f.driver === 'postgresql' ? 'postgres' : f.driver === 'mariadb' ? 'mysql' : f.driver;
  if (driver !== 'postgres' && driver !== 'mysql') throw invalid(label, 'driver must be postgres or mysql (mariadb)');
  const ssl = f.ssl ?? 'disable';
  if (ssl !== 'disable' && ssl !== 'require' && ssl !== 'verify') throw invalid(label, 'ssl must be disable, require or verify');
  const port = f.port === undefined ? undefined : Number(f.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw invalid(label, 'port must be a number from 1 to 65535');
  const max = f.maxConnections === undefined ? undefined : Number(f.maxConnections);
  if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= 1000)) throw invalid(label, 'maxConnections must be a number from 1 to 1000');
  return {
    type: 'database',
    driver,
    host: f.host!,
    database: f.database!,
    username: f.username!,
    ...(port !== undefined ? { port } : {}),
    ...(f.password ? { password: f.password } : {}),
    ...(f.ssl ? { ssl } : {}),
    ...(max !== undefined ? { maxConnections: max } : {}),
  };
}
