// Reads pipegate.yaml, validates it with file:line:col errors, and applies PIPEGATE_* variables and flags.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { JsonSchema } from '../core/connector.js';
import { isJsonObject } from '../core/json.js';
import type { JsonValue } from '../core/json.js';
import { parseSource } from '../core/loader/source-document.js';
import type { SourceDocument } from '../core/loader/source-document.js';
import { schemaIssues } from '../core/loader/schema-issues.js';
import type { RawIssue } from '../core/loader/schema-issues.js';
import type { ValidationIssue } from '../core/loader/validation-issue.js';
import { suggestion } from '../expr/compiler.js';
import { PlatformError } from '../errors/index.js';
import { configSchema } from './config-schema.js';
import { CONFIG_ROWS } from './config-table.js';
import type { ConfigRow } from './config-table.js';
import { secretLikeReason } from '../security/secret-like.js';

/** The file name looked up in the working directory. */
export const CONFIG_FILE_NAME = 'pipegate.yaml';
const MAX_CONFIG_BYTES = 256 * 1024;

/** Where an effective value came from. */
export type ConfigSource =
  | { kind: 'default' }
  | { kind: 'file'; file: string; line?: number; column?: number }
  | { kind: 'env'; name: string }
  | { kind: 'flag'; name: string };

/** One setting's effective value. */
export interface ConfigEntry {
  row: ConfigRow;
  /** null when unset. */
  value: JsonValue;
  source: ConfigSource;
}

/** The configuration in effect: file < environment < flags, every value validated. */
export interface EffectiveConfig {
  /** The configuration file read, or null when there is none. */
  file: string | null;
  entries: readonly ConfigEntry[];
  /** Secret-looking values in the file (ERR_CONFIG_SECRET_LIKE_VALUE), located. */
  warnings: readonly ValidationIssue[];
  /** The effective value of `key` (null when unset). */
  get(key: string): JsonValue;
}

/** What loadConfig reads. */
export interface LoadConfigInput {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--config FILE` (else PIPEGATE_CONFIG, else ./pipegate.yaml when it exists). */
  file?: string;
  /** parseArgs values by flag name; only the table's flags are read. */
  flags?: Readonly<Record<string, unknown>>;
  rows?: readonly ConfigRow[];
}

/** pipegate.yaml has problems; `issues` lists every one with its location. */
export class ConfigInvalidError extends PlatformError {
  readonly issues: readonly ValidationIssue[];
  constructor(file: string, issues: readonly ValidationIssue[]) {
    super('ERR_CONFIG_INVALID', { file, count: issues.length });
    this.issues = issues;
  }
}

const ajv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });
const rowValidators = new WeakMap<ConfigRow, ValidateFunction>();

function checkValue(row: ConfigRow, value: JsonValue, source: string): void {
  let validate = rowValidators.get(row);
  if (!validate) {
    validate = ajv.compile(row.schema);
    rowValidators.set(row, validate);
  }
  if (validate(value)) return;
  const e = validate.errors?.[0];
  const where = e?.instancePath ? ` at ${e.instancePath}` : '';
  const allowed = e?.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  throw new PlatformError('ERR_CONFIG_VALUE', {
    source,
    reason: `${e?.message ?? 'is invalid'}${allowed}${where}`,
  });
}

const bodies = new WeakMap<readonly ConfigRow[], JsonSchema>();

/** The schema without `$schema`/`$id` (ajv compiles the body; the published form carries both). */
function validationSchema(rows: readonly ConfigRow[]): JsonSchema {
  let body = bodies.get(rows);
  if (!body) {
    body = { ...configSchema(rows) };
    delete body.$schema;
    delete body.$id;
    bodies.set(rows, body);
  }
  return body;
}

/** Reads variable or flag text as the row's type. */
function fromText(row: ConfigRow, raw: unknown, source: string): JsonValue {
  if (typeof raw === 'boolean') return raw;
  const parts = Array.isArray(raw) ? raw.map(String) : [String(raw)];
  const text = parts.join(',');
  switch (row.text) {
    case 'integer':
      return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(text)) return true;
      if (/^(false|0|no|off)$/i.test(text)) return false;
      return text;
    case 'list':
      return parts.flatMap((p) => p.split(',')).map((s) => s.trim()).filter((s) => s !== '');
    case 'json':
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        throw new PlatformError('ERR_CONFIG_VALUE', { source, reason: 'expected JSON text' });
      }
    default:
      return text;
  }
}

function pointerOf(key: string): string {
  return `/${key.split('.').join('/')}`;
}

function valueAt(doc: JsonValue, key: string): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const part of key.split('.')) {
    if (!isJsonObject(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

function located(source: SourceDocument, raw: RawIssue, code: string, message: string): ValidationIssue {
  const pos = source.locate(raw.path);
  return { file: source.file, path: raw.path, line: pos?.line, column: pos?.column, code, message };
}

/** The keys the table defines next to the unknown one at `path`, for a spelling hint. */
function siblingKeys(rows: readonly ConfigRow[], path: string): string[] {
  const parent = path.split('/').slice(1, -1).join('.');
  const prefix = parent === '' ? '' : `${parent}.`;
  const names = rows.filter((r) => r.key.startsWith(prefix)).map((r) => r.key.slice(prefix.length).split('.')[0]!);
  return [...new Set(names)];
}

/** Maps the loader's schema issues to configuration codes. */
function configIssue(source: SourceDocument, raw: RawIssue, rows: readonly ConfigRow[]): ValidationIssue {
  if (raw.code === 'ERR_PIPELINE_UNKNOWN_PARAMETER') {
    const key = raw.path.split('/').at(-1) ?? '';
    const hint = suggestion(key, siblingKeys(rows, raw.path)).replace(/mean (.*)\?\)$/, 'mean "$1"?)');
    return located(source, raw, 'ERR_CONFIG_UNKNOWN_KEY', new PlatformError('ERR_CONFIG_UNKNOWN_KEY', { key, hint }).message);
  }
  return located(source, raw, 'ERR_CONFIG_VALUE', raw.message.replace('Missing required parameter', 'Missing required key'));
}

function stringsIn(value: JsonValue, path: string, out: [string, string][]): void {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => stringsIn(v, `${path}/${i}`, out));
  else if (isJsonObject(value)) for (const [k, v] of Object.entries(value)) stringsIn(v, `${path}/${k}`, out);
}

async function readConfigFile(file: string, rows: readonly ConfigRow[]): Promise<{ doc: JsonValue; source: SourceDocument; warnings: ValidationIssue[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PlatformError('ERR_CONFIG_FILE_NOT_FOUND', { file }, { cause: err });
  }
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES)
    throw new ConfigInvalidError(file, [{ file, path: '', code: 'ERR_CONFIG_SYNTAX', message: `The file is larger than ${MAX_CONFIG_BYTES} bytes` }]);
  const parsed = parseSource(file, text);
  if (!parsed.doc)
    throw new ConfigInvalidError(file, parsed.issues.map((i) => ({ ...i, code: 'ERR_CONFIG_SYNTAX', message: i.message.replace('The file is not valid YAML: ', 'pipegate.yaml is not valid YAML: ') })));
  const source = parsed.doc;
  const doc = source.value === null ? {} : source.value;
  const issues: ValidationIssue[] = [];
  const secretPaths = new Set<string>();
  for (const row of rows.filter((r) => r.secret)) {
    if (valueAt(doc, row.key) === undefined) continue;
    const path = pointerOf(row.key);
    secretPaths.add(path);
    const raw = { path, code: '', message: '' };
    issues.push(located(source, raw, 'ERR_CONFIG_SECRET_IN_FILE', new PlatformError('ERR_CONFIG_SECRET_IN_FILE', { key: row.key, env: row.env ?? 'an environment variable' }).message));
  }
  for (const raw of schemaIssues(validationSchema(rows), doc, '')) {
    if (!secretPaths.has(raw.path)) issues.push(configIssue(source, raw, rows));
  }
  if (issues.length > 0) {
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ConfigInvalidError(file, issues);
  }
  const strings: [string, string][] = [];
  stringsIn(doc, '', strings);
  const warnings = strings.flatMap(([path, value]) => {
    const reason = secretLikeReason(value);
    if (!reason) return [];
    const key = path.slice(1).split('/').filter((p) => !/^\d+$/.test(p)).join('.');
    const message = new PlatformError('ERR_CONFIG_SECRET_LIKE_VALUE', { key, reason }).message;
    return [located(source, { path, code: '', message: '' }, 'ERR_CONFIG_SECRET_LIKE_VALUE', message)];
  });
  return { doc, source, warnings };
}

/** The configuration file to read: --config, PIPEGATE_CONFIG, or ./pipegate.yaml when present. */
export function configFilePath(input: Pick<LoadConfigInput, 'cwd' | 'env' | 'file'>): string | null {
  const named = input.file ?? (input.env.PIPEGATE_CONFIG || undefined);
  if (named !== undefined) return isAbsolute(named) ? named : resolve(input.cwd, named);
  const local = resolve(input.cwd, CONFIG_FILE_NAME);
  return existsSync(local) ? local : null;
}

function resolvePaths(value: JsonValue, base: string): JsonValue {
  if (typeof value === 'string') return isAbsolute(value) ? value : resolve(base, value);
  if (Array.isArray(value)) return value.map((v) => resolvePaths(v, base));
  return value;
}

/**
 * The effective configuration (docs/configuration.md): each row takes its flag, else its
 * environment variable, else the file's value, else its default. Every value is validated against
 * the row's schema; file problems are ConfigInvalidError with file:line:col, others ERR_CONFIG_VALUE.
 */
export async function loadConfig(input: LoadConfigInput): Promise<EffectiveConfig> {
  const rows = input.rows ?? CONFIG_ROWS;
  const file = configFilePath(input);
  const read = file === null ? null : await readConfigFile(file, rows);
  const entries: ConfigEntry[] = [];
  for (const row of rows) {
    const flagValue = row.flag === null ? undefined : input.flags?.[row.flag];
    const envText = row.env === null ? undefined : input.env[row.env];
    const fileValue = read && !row.secret ? valueAt(read.doc, row.key) : undefined;
    let entry: ConfigEntry;
    if (flagValue !== undefined && !(Array.isArray(flagValue) && flagValue.length === 0)) {
      const name = `--${row.flag}`;
      entry = { row, value: fromText(row, flagValue, name), source: { kind: 'flag', name } };
      checkValue(row, entry.value, name);
      if (row.path) entry.value = resolvePaths(entry.value, input.cwd);
    } else if (envText !== undefined && envText !== '') {
      const name = row.env!;
      entry = { row, value: fromText(row, envText, name), source: { kind: 'env', name } };
      checkValue(row, entry.value, name);
      if (row.path) entry.value = resolvePaths(entry.value, input.cwd);
    } else if (fileValue !== undefined && read) {
      const pos = read.source.locate(pointerOf(row.key));
      entry = { row, value: fileValue, source: { kind: 'file', file: file!, line: pos?.line, column: pos?.column } };
      if (row.path) entry.value = resolvePaths(fileValue, dirname(file!));
    } else {
      entry = { row, value: row.default, source: { kind: 'default' } };
      if (row.path && row.default !== null) entry.value = resolvePaths(row.default, input.cwd);
    }
    entries.push(entry);
  }
  const byKey = new Map(entries.map((e) => [e.row.key, e]));
  return {
    file,
    entries,
    warnings: read?.warnings ?? [],
    get: (key) => byKey.get(key)?.value ?? null,
  };
}

/** `file:line:col`, `PIPEGATE_X`, `--flag` or `default`. */
export function describeSource(s: ConfigSource): string {
  switch (s.kind) {
    case 'default':
      return 'default';
    case 'env':
      return `env ${s.name}`;
    case 'flag':
      return `flag ${s.name}`;
    default:
      return s.line === undefined ? s.file : `${s.file}:${s.line}:${s.column ?? 1}`;
  }
}
