// Heuristics for values and names that look like secrets (configuration warnings, refused global names).
import { normalizeFieldName } from '../core/engine/index.js';

const PEM = /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/;
const JWT = /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./;
const PREFIXED_KEY = /^(pg_|sk_|xox[abp]-|ghp_|AKIA)[A-Za-z0-9_-]{8,}/;

/** Why `value` looks like a secret, or null. Conservative: URLs and paths without credentials pass. */
export function secretLikeReason(value: string): string | null {
  if (PEM.test(value)) return 'a PEM key or certificate';
  if (JWT.test(value)) return 'a JWT';
  if (PREFIXED_KEY.test(value)) return 'an API key';
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]*)@/i.exec(value);
  if (m && m[1]!.includes(':') && m[1]!.split(':')[1] !== '') return 'a password inside a URL';
  if (/^[A-Za-z0-9+/_=-]{32,}$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value))
    return 'a long random string';
  return null;
}

const SECRET_NAME_PARTS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'credential',
  'authorization',
  'cookie',
  'clientsecret',
  'accesskey',
  'signingkey',
];

/** True when a name (global, setting) suggests the value is a secret. */
export function isSecretLikeName(name: string): boolean {
  const n = normalizeFieldName(name);
  return SECRET_NAME_PARTS.some((part) => n.includes(part)) || /(^|[-_])(key|pwd|pass)$/i.test(name);
}
