// Error codes of pipeline loading, validation and the engine (see docs/errors.md).
import type { ErrorTable } from '../registry.js';

export const coreCodes = {
  ERR_PIPELINE_FILE_NOT_FOUND: {
    status: 400,
    message: 'Pipeline file {file} was not found or cannot be read',
    doc: 'The path given to validate, run or deploy does not name a readable file.',
  },
  ERR_PIPELINE_SYNTAX: {
    status: 400,
    message: 'The file is not valid {format}: {reason}',
    doc: 'The pipeline file does not parse as YAML or JSON; fix the syntax at the reported line and column.',
  },
  ERR_PIPELINE_SCHEMA: {
    status: 400,
    message: '{reason}',
    doc: 'A pipeline member has the wrong type or value; the message says what was expected at that path.',
  },
  ERR_PIPELINE_MISSING_PARAMETER: {
    status: 400,
    message: 'Missing required parameter "{parameter}"',
    doc: 'A step or trigger lacks a required parameter; add it.',
  },
  ERR_PIPELINE_UNKNOWN_PARAMETER: {
    status: 400,
    message: 'Unknown parameter "{parameter}"{hint}',
    doc: 'A step or trigger has a member its connector does not define; remove it or fix its spelling.',
  },
  ERR_PIPELINE_UNKNOWN_STEP_TYPE: {
    status: 400,
    message: 'Unknown step type "{type}"{hint}',
    doc: 'The `type` of a step names no registered connector; see docs/connectors/ for the list.',
  },
  ERR_PIPELINE_EXPRESSION_NOT_ALLOWED: {
    status: 400,
    message: 'Parameter "{parameter}" is a literal and cannot contain a Double Braces expression',
    doc: 'Only parameters marked "expression" in the connector page accept {{ … }}; write a literal value.',
  },
  ERR_PIPELINE_DUPLICATE_ALIAS: {
    status: 400,
    message: 'Step alias "{alias}" is already used at {other}',
    doc: 'Step aliases must be unique within a pipeline; rename one of them.',
  },
  ERR_PIPELINE_UNKNOWN_ALIAS: {
    status: 400,
    message: 'No step with alias "{alias}" comes before this expression',
    doc: '`{{ step.<alias> }}` must name the alias of a step that runs earlier in the pipeline.',
  },
  ERR_PIPELINE_INVALID: {
    status: 400,
    message: 'Pipeline {file} has {count} problem(s)',
    doc: 'Summary error of a validation that found problems; each problem is listed with its own code.',
  },
  ERR_PIPELINE_TRIGGER_REQUIRED: {
    status: 400,
    message: 'Pipeline "{pipeline}" has no trigger and cannot be served by the gateway',
    doc: 'Add a `trigger` (type rest or http) to deploy the pipeline; `pipegate run` needs none.',
  },
  ERR_INPUT_MESSAGE: {
    status: 400,
    message: 'The input message is not valid JSON: {reason}',
    doc: 'The `--message` argument (or the file it names with @) must hold one JSON document.',
  },
  ERR_CLI_USAGE: {
    status: 400,
    message: '{reason}',
    doc: 'The command line is incomplete or has an unknown option; see `pipegate --help`.',
  },
  ERR_EXECUTION_TIMEOUT: {
    status: 504,
    message: 'The execution exceeded its timeout of {timeoutMs} ms',
    doc: "The pipeline ran longer than its trigger's `timeoutMs`; in-flight work was aborted.",
  },
  ERR_STEP_PARAMETER_INVALID: {
    status: 400,
    message: 'Step {step} ({type}): parameter "{parameter}" {reason}',
    doc: 'A parameter rendered from an expression does not have the type its connector declares (numeric text counts as a number, a number as text); fix the expression or the data it reads.',
  },
  ERR_EXECUTION_INTERNAL: {
    status: 500,
    message: 'Internal error while running step {step}',
    doc: 'An unexpected failure inside a connector; the details are logged with the execution key.',
  },
} as const satisfies ErrorTable;
