// Error codes of pipegate.yaml, globals, `pipegate init` and custom connectors (see docs/configuration.md).
import type { ErrorTable } from '../registry.js';

export const configCodes = {
  ERR_CONFIG_FILE_NOT_FOUND: {
    status: 400,
    message: 'Configuration file {file} was not found or cannot be read',
    doc: '`--config FILE` or PIPEGATE_CONFIG names a file that does not exist; fix the path or drop the option to use ./pipegate.yaml.',
  },
  ERR_CONFIG_SYNTAX: {
    status: 400,
    message: '{reason}',
    doc: 'pipegate.yaml does not parse as YAML; fix the syntax at the reported line and column.',
  },
  ERR_CONFIG_UNKNOWN_KEY: {
    status: 400,
    message: 'Unknown key "{key}"{hint}',
    doc: 'pipegate.yaml has a key the configuration schema does not define (`pipegate schema --config`); remove it or fix its spelling.',
  },
  ERR_CONFIG_VALUE: {
    status: 400,
    message: '{source}: {reason}',
    doc: 'A configuration value (file, PIPEGATE_* variable or flag) has the wrong type or is out of range; the message says what was expected.',
  },
  ERR_CONFIG_INVALID: {
    status: 400,
    message: 'Configuration {file} has {count} problem(s)',
    doc: 'pipegate.yaml failed validation; every problem is listed with its file:line:column.',
  },
  ERR_CONFIG_SECRET_IN_FILE: {
    status: 400,
    message: '"{key}" is a secret and cannot be set in the configuration file: set {env} instead',
    doc: 'Secrets never live in pipegate.yaml (it is meant to be committed); pass them as environment variables, accounts or the master key.',
  },
  ERR_CONFIG_SECRET_LIKE_VALUE: {
    status: 400,
    message: 'The value of "{key}" looks like a secret ({reason}); keep secrets out of pipegate.yaml',
    doc: 'A warning, not a failure: a configuration value looks like a credential (a password in a URL, a token, a key). Move it to an environment variable or an account.',
  },
  ERR_GLOBAL_NAME: {
    status: 400,
    message: 'Global name "{name}" is invalid: use letters, digits, "_" and "-", starting with a letter (at most 64)',
    doc: 'Global names are referenced as `{{ global.<name> }}`, so they are identifiers.',
  },
  ERR_GLOBAL_SECRET_NAME: {
    status: 400,
    message: 'Global "{name}" looks like a secret: globals are plain values. Store it as an account instead (pipegate accounts add LABEL --type …) and use {{ account.LABEL.FIELD }}',
    doc: 'Globals are stored and shown in clear; a name like password, secret, token or key belongs in an encrypted account.',
  },
  ERR_GLOBAL_VALUE: {
    status: 400,
    message: 'Global "{name}": {reason}',
    doc: 'The value given to `globals set --json` is not JSON, or it is larger than 64 KiB.',
  },
  ERR_GLOBAL_NOT_FOUND: {
    status: 404,
    message: 'Global "{name}" does not exist in environment "{environment}"',
    doc: '`globals remove` or the admin API named a global that is not set in this environment; see `pipegate globals list`.',
  },
  ERR_INIT_EXISTS: {
    status: 400,
    message: '{file} already exists; pipegate init does not overwrite files',
    doc: 'The target directory already holds a Pipegate project; pick an empty directory or remove the file.',
  },
  ERR_CONNECTOR_MODULE: {
    status: 400,
    message: 'Cannot load connectors from {file}: {reason}',
    doc: 'A `--connectors` / `connectors:` module is missing, does not import, or exports no connector descriptors (export `connectors`, a default list, or descriptors built with defineConnector).',
  },
  ERR_CONNECTOR_INVALID: {
    status: 400,
    message: 'Connector "{type}" from {file} is invalid: {reason}',
    doc: 'A custom connector descriptor breaks the contract (type, version, parameters, schema, run); the message names what to fix. See docs/connectors/custom.md.',
  },
  ERR_CONNECTOR_FAILED: {
    status: 500,
    message: '{reason}',
    doc: 'A custom connector reported a failure (it may set another HTTP status); its message says what went wrong. Fail On Error applies as for built-in connectors.',
  },
} as const satisfies ErrorTable;
