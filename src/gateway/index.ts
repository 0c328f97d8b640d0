// Public surface of the gateway: start a server, deploy pipelines, the pieces the CLI and tests use.
export { startGateway, type Gateway, type GatewayOptions } from './start-gateway.js';
export { resolveGatewayConfig, checkName, type GatewayConfig } from './gateway-config.js';
export { openGatewayStore, type OpenedStore } from './open-gateway-store.js';
export {
  deployFile,
  deployText,
  undeploy,
  rollback,
  compileActive,
  type DeployTarget,
  type DeployOutcome,
} from '../deployments/deploy-pipeline.js';
export { validatePipelineDirs, listPipelineFiles } from './pipeline-files.js';
export { prepareGateway, type PreparedGateway } from './prepare-gateway.js';
export {
  MemoryReplayCache,
  RedisReplayCache,
  createSharedState,
  type ReplayCache,
  type SharedState,
  type RedisSettings,
} from './shared-state/index.js';
