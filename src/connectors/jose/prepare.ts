// Load-time checks of a jose step: operation, algorithms and allow-lists, key sources, limits.
import type { PrepareContext } from '../../core/connector.js';
import { getOwn, isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { PlatformError, type ErrorDetails } from '../../errors/index.js';
import {
  contentEncryptions,
  isContentEnc,
  isJweAlg,
  isJwsAlg,
  jweAlgorithms,
  jwsAlgorithms,
  type ContentEnc,
  type JweAlg,
  type JwsAlg,
  type KeyUsage,
} from './lib/algorithms.js';
import type { JoseErrorCode } from './lib/jose-error.js';
import { jwksUrlProblem } from './lib/jwks-cache.js';
import { fitKey } from './lib/key-fit.js';
import { importJwkOrSet, type KeyCandidate } from './lib/key-import.js';
import type { JweLimits } from './lib/token-guard.js';

export const operations = [
  'generate-jws', 'generate-jwe', 'verify-jws', 'decode-jwe', 'decode', 'generate-nested', 'verify-nested',
] as const;
export type Operation = (typeof operations)[number];

/** Defaults of the safety limits (documented in docs/jose.md). */
export const limitDefaults = {
  maxTokenBytes: 256 * 1024,
  maxPbes2Count: 10_000,
  maxDecompressedBytes: 250_000,
} as const;

/** Everything literal about a step, checked once. */
export interface PreparedJose {
  operation: Operation;
  /** JWS alg (generate-jws, generate-nested) or JWE alg (generate-jwe). */
  algorithm?: JwsAlg | JweAlg;
  /** JWE alg of generate-nested. */
  jweAlgorithm?: JweAlg;
  encryption: ContentEnc;
  /** Verification allow-list: JWS algs (verify-jws, verify-nested) or JWE algs (decode-jwe). */
  algorithms: string[];
  jweAlgorithms: JweAlg[];
  encryptions: ContentEnc[];
  limits: JweLimits;
  /** Keys imported at load when `key.jwk` / `encryptionKey.jwk` is a literal. */
  staticKey?: KeyCandidate[];
  staticEncryptionKey?: KeyCandidate[];
}

type Reporter = (code: JoseErrorCode, details: ErrorDetails, subPath?: string) => void;

const isExpression = (v: unknown): boolean => JSON.stringify(v ?? null).includes('{{');

/** Checks the literal parameters; problems are reported (all of them), the result is still usable by tests. */
export function prepareJose(params: JsonObject, ctx: PrepareContext): PreparedJose {
  const report: Reporter = (code, details, subPath) => ctx.report(new PlatformError(code, details), subPath);
  const op = getOwn(params, 'operation') ?? 'generate-jws';
  const operation: Operation = (operations as readonly unknown[]).includes(op) ? (op as Operation) : 'decode';
  if (operation !== op) report('ERR_JOSE_PARAMETER', { parameter: 'operation', reason: `unknown operation ${JSON.stringify(op)}` }, '/operation');
  const flags = {
    allowRsa1_5: getOwn(params, 'allowRsa1_5') === true,
    allowPbes2: getOwn(params, 'allowPbes2') === true,
  };
  const limits: JweLimits = {
    maxTokenBytes: positiveInt(params, 'maxTokenBytes', limitDefaults.maxTokenBytes, report, 1),
    maxPbes2Count: positiveInt(params, 'maxPbes2Count', limitDefaults.maxPbes2Count, report, 1000),
    maxDecompressedBytes: positiveInt(params, 'maxDecompressedBytes', limitDefaults.maxDecompressedBytes, report, 0),
    allowKeyReferenceHeaders: getOwn(params, 'allowKeyReferenceHeaders') === true,
  };
  const enc = getOwn(params, 'encryption') ?? 'A256GCM';
  if (!isContentEnc(enc)) report('ERR_JOSE_ALG_UNSUPPORTED', { alg: String(enc), use: 'JWE content encryption' }, '/encryption');
  const prepared: PreparedJose = {
    operation,
    encryption: isContentEnc(enc) ? enc : 'A256GCM',
    algorithms: [],
    jweAlgorithms: [],
    encryptions: readList(params, 'encryptions', contentEncryptions, 'JWE content encryption', report, flags) as ContentEnc[],
    limits,
  };
  if (prepared.encryptions.length === 0) prepared.encryptions = [...contentEncryptions];
  const signing = operation === 'generate-jws' || operation === 'generate-nested';
  if (signing || operation === 'generate-jwe') {
    const kind = signing ? 'jws' : 'jwe';
    prepared.algorithm = readAlg(params, 'algorithm', kind, report, flags);
  }
  if (operation === 'generate-nested') prepared.jweAlgorithm = readAlg(params, 'jweAlgorithm', 'jwe', report, flags) as JweAlg;
  if (operation === 'verify-jws' || operation === 'verify-nested') {
    prepared.algorithms = requiredList(params, 'algorithms', jwsAlgorithms, 'JWS signatures', operation, report, flags);
  }
  if (operation === 'decode-jwe') prepared.algorithms = requiredList(params, 'algorithms', jweAlgorithms, 'JWE key management', operation, report, flags);
  if (operation === 'verify-nested') {
    prepared.jweAlgorithms = requiredList(params, 'jweAlgorithms', jweAlgorithms, 'JWE key management', operation, report, flags) as JweAlg[];
  }
  if (operation !== 'decode') prepareKeys(params, prepared, report, (label) => ctx.useAccount?.(label));
  checkHeaders(params, report);
  return prepared;
}

/** The key parameters each operation uses and what for. */
function keyRoles(p: PreparedJose): Array<{ name: 'key' | 'encryptionKey'; usage: KeyUsage; algs: string[] }> {
  switch (p.operation) {
    case 'generate-jws': return [{ name: 'key', usage: 'sign', algs: p.algorithm ? [p.algorithm] : [] }];
    case 'generate-jwe': return [{ name: 'key', usage: 'encrypt', algs: p.algorithm ? [p.algorithm] : [] }];
    case 'verify-jws': return [{ name: 'key', usage: 'verify', algs: p.algorithms }];
    case 'decode-jwe': return [{ name: 'key', usage: 'decrypt', algs: p.algorithms }];
    case 'generate-nested': return [
      { name: 'key', usage: 'sign', algs: p.algorithm ? [p.algorithm] : [] },
      { name: 'encryptionKey', usage: 'encrypt', algs: p.jweAlgorithm ? [p.jweAlgorithm] : [] },
    ];
    case 'verify-nested': return [
      { name: 'key', usage: 'verify', algs: p.algorithms },
      { name: 'encryptionKey', usage: 'decrypt', algs: p.jweAlgorithms },
    ];
    default: return [];
  }
}

/** Checks the key parameters; literal account labels are declared so a deploy can check they exist. */
function prepareKeys(params: JsonObject, prepared: PreparedJose, report: Reporter, useAccount: (label: string) => void): void {
  for (const role of keyRoles(prepared)) {
    const spec = getOwn(params, role.name);
    const at = `/${role.name}`;
    if (!isJsonObject(spec)) {
      report('ERR_JOSE_KEY_SOURCE', { parameter: role.name, reason: 'the parameter is missing' }, at);
      continue;
    }
    const members = ['account', 'jwk', 'jwksUrl'].filter((m) => getOwn(spec, m) !== undefined);
    const extra = Object.keys(spec).filter((m) => !['account', 'jwk', 'jwksUrl'].includes(m));
    if (members.length !== 1 || extra.length > 0) {
      report('ERR_JOSE_KEY_SOURCE', { parameter: role.name, reason: extra.length ? `unknown member ${extra.join(', ')}` : `${members.length} sources given` }, at);
      continue;
    }
    const account = getOwn(spec, 'account');
    const url = getOwn(spec, 'jwksUrl');
    if (account !== undefined && (typeof account !== 'string' || account === '' || isExpression(account))) {
      report('ERR_JOSE_KEY_SOURCE', { parameter: role.name, reason: 'account must be a literal label' }, `${at}/account`);
    } else if (typeof account === 'string') {
      useAccount(account);
    }
    if (url !== undefined) {
      const problem = typeof url !== 'string' || isExpression(url) ? 'jwksUrl must be a literal URL' : jwksUrlProblem(url);
      if (problem) report('ERR_JOSE_KEY_SOURCE', { parameter: role.name, reason: problem }, `${at}/jwksUrl`);
      if (role.usage === 'sign' || role.usage === 'decrypt') {
        report('ERR_JOSE_KEY_SOURCE', { parameter: role.name, reason: `a JWKS URL holds public keys, it cannot ${role.usage}` }, `${at}/jwksUrl`);
      }
    }
    const jwk = getOwn(spec, 'jwk');
    if (jwk !== undefined && !isExpression(jwk)) {
      const keys = staticImport(jwk as JsonValue, role, prepared, report, at);
      if (keys && role.name === 'key') prepared.staticKey = keys;
      if (keys && role.name === 'encryptionKey') prepared.staticEncryptionKey = keys;
    }
  }
}

/** Imports a literal JWK and checks that at least one algorithm of the role can use it. */
function staticImport(jwk: JsonValue, role: ReturnType<typeof keyRoles>[number], p: PreparedJose, report: Reporter, at: string): KeyCandidate[] | undefined {
  let keys: KeyCandidate[];
  try {
    keys = importJwkOrSet(jwk, `${role.name}.jwk`);
  } catch (err) {
    reportError(err, report, `${at}/jwk`);
    return undefined;
  }
  if (role.algs.length === 0) return keys;
  const errors: unknown[] = [];
  // `dir` keys are sized by the content encryption: generating uses `encryption`, decrypting any allowed one.
  const encs: Array<ContentEnc | undefined> = role.usage === 'encrypt' ? [p.encryption] : role.usage === 'decrypt' ? p.encryptions : [undefined];
  const fits = role.algs.some((alg) => encs.some((enc) => keys.some((k) => {
    try {
      fitKey(k, { alg: alg as JwsAlg | JweAlg, usage: role.usage, ...(enc && alg === 'dir' && { enc }) });
      return true;
    } catch (err) {
      errors.push(err);
      return false;
    }
  })));
  // The most telling problem: a weak key of the right kind says more than "HS256 needs a secret".
  const telling = errors.find((e) => e instanceof PlatformError && e.code !== 'ERR_JOSE_KEY_MISMATCH') ?? errors[0];
  if (!fits) reportError(telling, report, `${at}/jwk`);
  return keys;
}

function reportError(err: unknown, report: Reporter, at: string): void {
  if (err instanceof PlatformError) report(err.code as JoseErrorCode, err.details, at);
  else report('ERR_JOSE_KEY_INVALID', { source: at, reason: 'unreadable key' }, at);
}

function checkHeaders(params: JsonObject, report: Reporter): void {
  const headers = getOwn(params, 'customHeaders');
  if (!isJsonObject(headers)) return;
  for (const name of ['alg', 'enc', 'crit', 'zip', 'b64', 'jku', 'jwk', 'x5u', 'epk', 'apu', 'apv', 'p2s', 'p2c', 'iv', 'tag']) {
    if (getOwn(headers, name) !== undefined) report('ERR_JOSE_HEADER_RESERVED', { header: name }, `/customHeaders/${name}`);
  }
}

interface Flags { allowRsa1_5: boolean; allowPbes2: boolean }

function disabled(alg: string, flags: Flags): string | undefined {
  if (alg === 'RSA1_5' && !flags.allowRsa1_5) return 'allowRsa1_5';
  if (alg.startsWith('PBES2') && !flags.allowPbes2) return 'allowPbes2';
  return undefined;
}

function readAlg(params: JsonObject, name: string, kind: 'jws' | 'jwe', report: Reporter, flags: Flags): JwsAlg | JweAlg | undefined {
  const alg = getOwn(params, name);
  const ok = kind === 'jws' ? isJwsAlg(alg) : isJweAlg(alg);
  if (!ok) {
    report('ERR_JOSE_ALG_UNSUPPORTED', { alg: String(alg ?? '(missing)'), use: kind === 'jws' ? 'JWS signatures' : 'JWE key management' }, `/${name}`);
    return undefined;
  }
  const flag = disabled(alg as string, flags);
  if (flag) report('ERR_JOSE_ALG_DISABLED', { alg: alg as string, flag }, `/${name}`);
  return alg as JwsAlg | JweAlg;
}

function readList(params: JsonObject, name: string, known: readonly string[], use: string, report: Reporter, flags: Flags): string[] {
  const list = getOwn(params, name);
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    report('ERR_JOSE_PARAMETER', { parameter: name, reason: 'expected a list of algorithm names' }, `/${name}`);
    return [];
  }
  const out: string[] = [];
  list.forEach((alg, i) => {
    if (typeof alg !== 'string' || !known.includes(alg)) {
      report('ERR_JOSE_ALG_UNSUPPORTED', { alg: String(alg), use }, `/${name}/${i}`);
      return;
    }
    const flag = disabled(alg, flags);
    if (flag) report('ERR_JOSE_ALG_DISABLED', { alg, flag }, `/${name}/${i}`);
    else out.push(alg);
  });
  return out;
}

function requiredList(params: JsonObject, name: string, known: readonly string[], use: string, operation: Operation, report: Reporter, flags: Flags): string[] {
  const list = getOwn(params, name);
  if (!Array.isArray(list) || list.length === 0) {
    report('ERR_JOSE_ALGORITHMS_REQUIRED', { operation, parameter: name }, `/${name}`);
    return [];
  }
  return readList(params, name, known, use, report, flags);
}

function positiveInt(params: JsonObject, name: string, fallback: number, report: Reporter, min: number): number {
  const v = getOwn(params, name);
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    report('ERR_JOSE_PARAMETER', { parameter: name, reason: `expected an integer >= ${min}` }, `/${name}`);
    return fallback;
  }
  return v;
}
