// The CLI's commands, in help order.
import type { Command } from '../command.js';
import { docsCommand } from './docs.js';
import { runCommand } from './run.js';
import { schemaCommand } from './schema.js';
import { validateCommand } from './validate.js';
import { keysCommand } from './keys.js';
import { tokensCommand } from './tokens.js';
import { serveCommand } from './serve.js';
import { deployCommand } from './deploy.js';
import { undeployCommand } from './undeploy.js';
import { rollbackCommand } from './rollback.js';
import { deploymentsCommand } from './deployments.js';
import { consumersCommand } from './consumers.js';
import { accountsCommand } from './accounts.js';
import { anomaliesCommand } from './anomalies.js';
import { executionsCommand } from './executions.js';
import { logsCommand } from './logs.js';
import { configCommand } from './config.js';
import { globalsCommand } from './globals.js';
import { initCommand } from './init.js';
import { openapiCommand } from './openapi.js';
import { issuersCommand } from './issuers.js';

export const commands: readonly Command[] = [
  initCommand,
  runCommand,
  validateCommand,
  schemaCommand,
  docsCommand,
  serveCommand,
  deployCommand,
  undeployCommand,
  rollbackCommand,
  deploymentsCommand,
  consumersCommand,
  accountsCommand,
  globalsCommand,
  keysCommand,
  tokensCommand,
  issuersCommand,
  executionsCommand,
  logsCommand,
  anomaliesCommand,
  openapiCommand,
  configCommand,
];
