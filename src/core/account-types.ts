// The typed account values connectors receive from the accounts store, and the port that resolves them.
import type { JsonObject } from './json.js';

/**
 * The decrypted value of an account, tagged by its type (SPEC §1 "Account"). The store keeps these
 * encrypted at rest; a connector only ever sees the value it asked for, at run time, and must never
 * log it, echo it in an error or put it in an output message.
 */
export type AccountValue =
  /** A shared secret: HMAC key, AES key, PBES2 password. `base64` means `value` is Base64 text. */
  | { type: 'secret-key'; value: string; encoding: 'raw' | 'base64' }
  /** A PEM private key (PKCS#8, PKCS#1 or SEC1), optionally encrypted with `passphrase`. */
  | { type: 'private-key'; pem: string; passphrase?: string }
  /** A PEM public key (SPKI or PKCS#1) or a PEM certificate. */
  | { type: 'public-key'; pem: string }
  /** PEM certificates (leaf first), optionally followed by the leaf's private key. */
  | { type: 'certificate-chain'; pem: string; passphrase?: string }
  /** A JSON Web Key (RFC 7517) or a JWK Set (`{ "keys": [...] }`). */
  | { type: 'jwk'; jwk: JsonObject }
  | { type: 'basic'; username: string; password: string }
  /** An API key; `name` and `in` say where http-request sends it (default: header `apikey`). */
  | { type: 'api-key'; key: string; name?: string; in?: 'header' | 'query' }
  | { type: 'custom-auth-header'; name: string; value: string }
  | { type: 'oauth-bearer'; token: string }
  /**
   * OAuth 2.0 client credentials (RFC 6749 §4.4): the client authenticates at `tokenUrl` (HTTP Basic,
   * or `post` for client_secret_post) and gets short-lived access tokens for the scopes.
   */
  | {
      type: 'oauth-client-credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scopes?: string;
      audience?: string;
      clientAuth?: 'basic' | 'post';
    }
  /** Connection settings of a PostgreSQL or MySQL/MariaDB database (the db connector). */
  | {
      type: 'database';
      driver: 'postgres' | 'mysql';
      host: string;
      port?: number;
      database: string;
      username: string;
      password?: string;
      /** `disable` (default), `require` (encrypted, unverified) or `verify` (encrypted, certificate checked). */
      ssl?: 'disable' | 'require' | 'verify';
      /** Pool size per node (default 10). */
      maxConnections?: number;
    };

/** The `type` tag of an account. */
export type AccountType = AccountValue['type'];

/** Every account type, in documentation order. */
export const accountTypes: readonly AccountType[] = [
  'secret-key',
  'private-key',
  'public-key',
  'certificate-chain',
  'jwk',
  'basic',
  'api-key',
  'custom-auth-header',
  'oauth-bearer',
  'oauth-client-credentials',
  'database',
];

/**
 * Resolves an account label to its decrypted value in the current environment. Implemented by the
 * accounts store; connectors reach it as `ctx.host.accounts`. Rejects with a PlatformError (for
 * example `ERR_STORE_ACCOUNT_NOT_FOUND`) whose message names the label, never the value.
 */
export interface AccountResolver {
  resolve(label: string): Promise<AccountValue>;
}
