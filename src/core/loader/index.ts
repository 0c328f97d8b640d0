// Public surface of the pipeline loader.
export { loadPipelineFile, loadPipelineText, type LoadOptions } from './load-pipeline.js';
export { pipelineSchema, ALIAS_PATTERN } from './pipeline-schema.js';
export { PipelineInvalidError, formatIssue, type ValidationIssue } from './validation-issue.js';
