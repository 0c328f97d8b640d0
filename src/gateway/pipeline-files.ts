// Finds and validates the pipeline files of the folders given to `pipegate serve`.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ConnectorRegistry } from '../core/registry.js';
import { PipelineInvalidError } from '../core/loader/index.js';
import type { ValidationIssue } from '../core/loader/index.js';
import { PlatformError, isPlatformError } from '../errors/index.js';
import { compileServed } from '../deployments/compile-deployment.js';
import { buildRouteTable } from '../deployments/compile-deployment.js';

const PIPELINE_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** One validated file, with its text (what gets stored as the deployment definition). */
export interface PipelineFile {
  file: string;
  text: string;
  name: string;
  major: number;
  minor: number;
}

/** The pipeline files directly inside `dir` (not recursive), sorted by name. */
export async function listPipelineFiles(dir: string): Promise<string[]> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    const names = await readdir(dir);
    return names
      .filter((n) => PIPELINE_EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.'))
      .sort()
      .map((n) => join(dir, n));
  } catch (err) {
    throw new PlatformError('ERR_GATEWAY_DIR_NOT_FOUND', { dir }, { cause: err });
  }
}

/**
 * Validates every pipeline of the folders like `pipegate validate --deploy`, and their routes against
 * each other. Throws a PipelineInvalidError listing every problem of every file (the CLI prints them
 * exactly as `validate` does) or ERR_GATEWAY_ROUTE_CONFLICT.
 */
export async function validatePipelineDirs(
  dirs: readonly string[],
  registry: ConnectorRegistry,
  realm: string,
): Promise<PipelineFile[]> {
  const files: PipelineFile[] = [];
  const issues: ValidationIssue[] = [];
  const served = [];
  for (const dir of dirs) {
    for (const file of await listPipelineFiles(dir)) {
      try {
        const text = await readFile(file, 'utf8');
        const s = compileServed(file, text, { registry, realm });
        served.push(s);
        files.push({
          file,
          text,
          name: s.pipeline.name,
          major: s.pipeline.versionMajor,
          minor: s.minor,
        });
      } catch (err) {
        if (err instanceof PipelineInvalidError) issues.push(...err.issues);
        else if (isPlatformError(err))
          issues.push({ file, path: '', code: err.code, message: err.message });
        else throw err;
      }
    }
  }
  if (issues.length > 0) throw new PipelineInvalidError(issues[0]!.file, issues);
  buildRouteTable(served);
  return files;
}
