// The explicit list of connectors Pipegate ships; the loader accepts exactly these step types.
import type { AnyConnector } from '../core/connector.js';
import { createRegistry } from '../core/registry.js';
import type { ConnectorRegistry } from '../core/registry.js';
import { assertConnector } from './assert/index.js';
import { blockExecution } from './block-execution/index.js';
import { choice } from './choice/index.js';
import { cryptoConnector } from './crypto/index.js';
import { dbConnector } from './db/index.js';
import { forEach } from './for-each/index.js';
import { hashConnector } from './hash/index.js';
import { httpRequest } from './http-request/index.js';
import { joseConnector } from './jose/jose-connector.js';
import { jsonGenerator } from './json-generator/index.js';
import { jwtConnector } from './jwt/index.js';
import { logConnector } from './log/index.js';
import { sessionManagement } from './session-management/index.js';
import { throwError } from './throw-error/index.js';
import { transformerJolt } from './transformer-jolt/index.js';
import { transformerJsonata } from './transformer-jsonata/index.js';

/** Every built-in connector, in documentation order. */
export const builtInConnectors: readonly AnyConnector[] = [
  jsonGenerator,
  transformerJsonata,
  transformerJolt,
  sessionManagement,
  logConnector,
  assertConnector,
  throwError,
  choice,
  blockExecution,
  forEach,
  joseConnector,
  jwtConnector,
  httpRequest,
  hashConnector,
  cryptoConnector,
  dbConnector,
];

/** The default registry used by the CLI and the gateway. */
export const defaultRegistry: ConnectorRegistry = createRegistry(builtInConnectors);
