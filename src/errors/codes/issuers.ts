// Error codes of external token issuers (`pipegate issuers`, auth.jwt.issuers; docs/oauth.md).
import type { ErrorTable } from '../registry.js';

export const issuerCodes = {
  ERR_ISSUER_INVALID: {
    status: 400,
    message: 'Invalid external issuer: {reason}',
    doc: 'The settings given to `pipegate issuers add` are incomplete or unsafe (a name, --discovery or --issuer with --jwks-url, asymmetric --algorithms only, --scope-claim scope|scp|roles); fix the flag named.',
  },
  ERR_ISSUER_EXISTS: {
    status: 409,
    message: 'An external issuer named {name} exists already; remove it first or pass --replace',
    doc: 'Issuer names are unique per realm and environment.',
  },
  ERR_ISSUER_UNKNOWN: {
    status: 404,
    message: 'No external issuer named {name} in this realm and environment',
    doc: 'Check the name with `pipegate issuers list` (issuers are per realm and environment).',
  },
  ERR_ISSUER_KEYS_UNAVAILABLE: {
    status: 503,
    message: 'The keys of issuer {name} cannot be fetched: {reason}',
    doc: 'The discovery document or JWKS of an external issuer could not be fetched or parsed (timeout, HTTP error, egress policy, bad JSON). Requests bearing its tokens answer 503 until a fetch succeeds; a loopback or private IdP needs `--allow-egress` (docs/egress.md).',
  },
} as const satisfies ErrorTable;
