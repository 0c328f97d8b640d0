// One problem found while validating a pipeline, and the error that carries all of them.
import { PlatformError } from '../../errors/index.js';

/** A validation problem with its location. */
export interface ValidationIssue {
  file: string;
  /** JSON pointer inside the document, e.g. `/steps/2/expression`. */
  path: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
}

/** Thrown by the loader when a pipeline has problems; `issues` lists every one. */
export class PipelineInvalidError extends PlatformError {
  readonly issues: readonly ValidationIssue[];
  constructor(file: string, issues: readonly ValidationIssue[]) {
    super('ERR_PIPELINE_INVALID', { file, count: issues.length });
    this.issues = issues;
  }
}

/** `file:line:column code message` (the form editors and terminals link). */
export function formatIssue(issue: ValidationIssue): string {
  const where = issue.line !== undefined ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  const path = issue.path ? ` (at ${issue.path})` : '';
  return `${where} ${issue.code} ${issue.message}${path}`;
}
