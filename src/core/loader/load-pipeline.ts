// Loads a pipeline file: parse, validate against the schema, compile every step and expression, once.
import { readFile } from 'node:fs/promises';
import type { JsonValue } from '../json.js';
import type { CompiledPipeline, PipelineDoc } from '../pipeline-model.js';
import type { ConnectorRegistry } from '../registry.js';
import { compileFlow } from './compile-steps.js';
import type { CompileState } from './compile-steps.js';
import { documentSchema } from './pipeline-schema.js';
import { schemaIssues } from './schema-issues.js';
import type { RawIssue } from './schema-issues.js';
import { MAX_PIPELINE_BYTES, parseSource } from './source-document.js';
import type { SourceDocument } from './source-document.js';
import { PipelineInvalidError } from './validation-issue.js';
import type { ValidationIssue } from './validation-issue.js';
import { flowNestingExceeds } from '../json-depth.js';
import { PlatformError } from '../../errors/index.js';

/** Deepest `{`/`[` nesting a pipeline document may have (real ones stay below 20). */
const MAX_NESTING = 64;

/** Options of the loader. */
export interface LoadOptions {
  registry: ConnectorRegistry;
  /** Deploying needs a trigger; `pipegate run` does not. */
  requireTrigger?: boolean;
}

const topLevelSchema = documentSchema({ type: 'array', minItems: 1 });

/** Loads and compiles pipeline text; throws PipelineInvalidError listing every problem. */
export function loadPipelineText(file: string, text: string, options: LoadOptions): CompiledPipeline {
  if (Buffer.byteLength(text) > MAX_PIPELINE_BYTES) {
    throw new PipelineInvalidError(file, [{ file, path: '', code: 'ERR_PIPELINE_SYNTAX', message: `The file is larger than ${MAX_PIPELINE_BYTES} bytes` }]);
  }
  // Found by fuzzing: ~2,000 unclosed `{` made the YAML parser run out of memory (a process crash).
  if (flowNestingExceeds(text, MAX_NESTING)) {
    throw new PipelineInvalidError(file, [{ file, path: '', code: 'ERR_PIPELINE_SYNTAX', message: `The document is nested deeper than ${MAX_NESTING} levels` }]);
  }
  const { doc, issues } = parseSource(file, text);
  if (!doc) throw new PipelineInvalidError(file, issues);
  return compileDocument(doc, options);
}

/** Reads and loads a pipeline file. */
export async function loadPipelineFile(file: string, options: LoadOptions): Promise<CompiledPipeline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PlatformError('ERR_PIPELINE_FILE_NOT_FOUND', { file }, { cause: err });
  }
  return loadPipelineText(file, text, options);
}

function compileDocument(source: SourceDocument, options: LoadOptions): CompiledPipeline {
  const value = source.value;
  const raw: RawIssue[] = schemaIssues(topLevelSchema, value, '');
  if (options.requireTrigger && isObject(value) && value.trigger === undefined) {
    raw.push({ path: '/trigger', code: 'ERR_PIPELINE_TRIGGER_REQUIRED', message: 'The pipeline has no trigger and cannot be served by the gateway' });
  }
  const state: CompileState = { registry: options.registry, issues: raw, aliases: new Map(), accounts: new Set() };
  const steps = compileFlow(isObject(value) ? value.steps : undefined, '/steps', state);
  if (state.issues.length > 0) throw new PipelineInvalidError(source.file, locateAll(source, state.issues));
  const doc = value as unknown as PipelineDoc;
  const [major, minor] = doc.version.split('.').map(Number) as [number, number];
  return {
    doc,
    name: doc.name,
    versionMajor: major,
    versionMinor: minor,
    description: doc.description ?? '',
    sensitiveFields: doc.sensitiveFields ?? [],
    steps,
    accounts: [...state.accounts],
    source: source.file,
  };
}

function isObject(v: JsonValue): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function locateAll(source: SourceDocument, issues: RawIssue[]): ValidationIssue[] {
  return issues
    .map((i) => {
      const pos = source.locate(i.path, i.offset);
      return { file: source.file, path: i.path, line: pos?.line, column: pos?.column, code: i.code, message: i.message };
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
