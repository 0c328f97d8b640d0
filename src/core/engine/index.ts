// Public surface of the engine.
export { runPipeline, systemClock, DEFAULT_TIMEOUT_MS, type RunOptions, type ExecutionResult } from './run-pipeline.js';
export { StepFailure, errorObject } from './step-failure.js';
export type { RedactedMessage } from './record-redaction.js';
export { BUILT_IN_SENSITIVE_FIELDS, normalizeFieldName, sensitiveNameSet, collectSensitiveValues, maskText, redactMessage } from './masking.js';
