// The public package API (package.json `main`/`exports`): connectors, errors, the registry, and embedding.
export {
  defineConnector,
  type AnyConnector,
  type Branch,
  type ConnectorDescriptor,
  type ExpressionMode,
  type FlowRunner,
  type JsonSchema,
  type ParameterSpec,
  type PrepareContext,
  type StepInput,
} from './core/connector.js';
export type { AuthInfo, StepContext, TriggerRequest } from './core/step-context.js';
export type { JsonObject, JsonValue } from './core/json.js';
export { createRegistry, type ConnectorRegistry } from './core/registry.js';
export { builtInConnectors, defaultRegistry } from './connectors/index.js';
export {
  checkConnector,
  loadConnectorModules,
  registryWithConnectors,
} from './connectors/custom/load-connectors.js';
export {
  PlatformError,
  allCodes,
  isPlatformError,
  lookupCode,
  type ErrorCodeDef,
  type ErrorDetails,
  type ErrorTable,
  type PlatformErrorOptions,
} from './errors/index.js';
export { loadPipelineFile, loadPipelineText, PipelineInvalidError } from './core/loader/index.js';
export { runPipeline, type ExecutionResult, type RunOptions } from './core/engine/index.js';
export { startGateway, type Gateway, type GatewayOptions } from './gateway/index.js';
export { loadConfig, gatewayOptionsFrom, type EffectiveConfig } from './config/index.js';
