// The live state one gateway serves from: deployments, credential caches, tokens, globals, readiness.
import { AccountService } from '../accounts/index.js';
import type { JsonObject } from '../core/json.js';
import type { HostServices } from '../core/step-context.js';
import type { DatabasePools } from '../connectors/db/database-pools.js';
import type { OutboundHttp } from '../http-client/index.js';
import { ApiKeyHasher, PasswordVerifier, SecretBox } from '../security/index.js';
import type { MasterKey } from '../security/index.js';
import type { TokenService, UsageRecorder } from '../security/tokens/token-service.js';
import { MemoryReplayCache } from '../security/dpop/index.js';
import type { DpopNonces, ReplayCache } from '../security/dpop/index.js';
import { ExternalIssuers } from '../security/issuers/external-issuers.js';
import type { PlatformError } from '../errors/index.js';
import type { ExecutionMonitor } from '../monitoring/execution-monitor.js';
import type { ChangeTopic, Store } from '../store/store.js';
import type { AuthServices } from './auth/authenticate.js';
import { CredentialCache } from './auth/credential-cache.js';
import { LoginGuard } from './auth/login-guard.js';
import type { DeploymentSet } from './deployments/deployment-set.js';
import { gatewayHost, loadGlobals } from './gateway-host.js';
import { RateLimiter } from './rate-limiter.js';
import type { RateLimitCheck } from './rate-limiter.js';
import type { SharedState } from './shared-state/index.js';
import type { ServerServices } from './server.js';

/** Longest /readyz waits for the store. */
const READY_TIMEOUT_MS = 1000;

/**
 * Implements what the HTTP layer asks for. Token service and usage recorder are attached after the
 * listener is bound (the token issuer contains the public URL, which depends on the port); until
 * then protected routes answer 503 and /readyz says not ready.
 */
export class GatewayState implements ServerServices {
  /** Per process by default; startGateway puts the Redis-backed limiter here with `--redis`. */
  limiter: RateLimitCheck = new RateLimiter();
  /** Rate limits and replay caches (`shared.replayCache('dpop')`), set by startGateway. */
  shared: SharedState | null = null;
  readonly cache: CredentialCache;
  readonly passwords: PasswordVerifier;
  #hasher: ApiKeyHasher;
  #auth: AuthServices | null = null;
  #host: HostServices = {};
  #globals: JsonObject = {};
  #tokens: TokenService | null = null;
  #usage: UsageRecorder | null = null;
  #monitor: ExecutionMonitor | null = null;
  #publicUrl = '';
  #closing = false;
  /** Outbound HTTP handed to connectors (set by startGateway before attachTokens). */
  outboundHttp: OutboundHttp | undefined;
  /** Database pools handed to the db connector (set by startGateway). */
  databases: DatabasePools | undefined;
  /** Set by startGateway from `faults.durableUsage` before the server is built. */
  durableUsage = false;
  /**
   * Memory of DPoP proof jtis (RFC 9449 §11.1). In memory per node by default; a shared
   * implementation (Redis, the store) makes a proof single-use across nodes. Set before attachTokens.
   */
  dpopReplay: ReplayCache = new MemoryReplayCache();
  /** Leeway of proof `iat` checks, the token service's (set by startGateway). */
  dpopLeewaySec = 30;
  /** DPoP server nonces (`dpop.nonce`), null when off. */
  dpopNonces: DpopNonces | null = null;
  /** Told when the keys of an external issuer cannot be fetched (startGateway logs it). */
  onIssuerError: (issuer: string, err: PlatformError) => void = () => undefined;

  constructor(
    private readonly store: Store,
    private readonly master: MasterKey,
    readonly realm: string,
    readonly environment: string,
    readonly deployments: DeploymentSet,
    /** Failed-login limits and the hash cap, shared by Basic Auth and the admin API. */
    readonly logins: LoginGuard = new LoginGuard(),
  ) {
    this.cache = new CredentialCache(store, environment);
    this.passwords = new PasswordVerifier(master);
    this.#hasher = new ApiKeyHasher(master);
  }

  auth(): AuthServices | null {
    return this.#auth;
  }
  host(): HostServices {
    return this.#host;
  }
  globals(): JsonObject {
    return this.#globals;
  }
  usage(): UsageRecorder | null {
    return this.#usage;
  }
  monitor(): ExecutionMonitor | null {
    return this.#monitor;
  }
  /** Starts recording executions, log lines and execution metrics. */
  attachMonitor(monitor: ExecutionMonitor): void {
    this.#monitor = monitor;
  }
  tokens(): TokenService | null {
    return this.#tokens;
  }
  publicUrl(): string {
    return this.#publicUrl;
  }
  closing(): boolean {
    return this.#closing;
  }

  setPublicUrl(url: string): void {
    this.#publicUrl = url;
  }

  startClosing(): void {
    this.#closing = true;
  }

  /** Makes authentication and executions use `tokens`; events go to `usage`. */
  attachTokens(tokens: TokenService, usage: UsageRecorder): void {
    this.#tokens = tokens;
    this.#usage = usage;
    const accounts = new AccountService(this.store, new SecretBox(this.master));
    this.#host = gatewayHost(
      this.store,
      this.environment,
      tokens,
      accounts,
      this.outboundHttp,
      this.databases,
    );
    this.#auth = {
      realm: this.realm,
      cache: this.cache,
      hasher: this.#hasher,
      passwords: this.passwords,
      tokens,
      logins: this.logins,
      issuers: this.outboundHttp
        ? new ExternalIssuers({
            store: this.store,
            realm: this.realm,
            environment: this.environment,
            http: this.outboundHttp,
            leewaySec: this.dpopLeewaySec,
            onError: (issuer, err) => this.onIssuerError(issuer, err),
          })
        : null,
      dpop: {
        replay: this.dpopReplay,
        publicUrl: () => this.#publicUrl,
        leewaySec: this.dpopLeewaySec,
        nowSec: () => Math.floor(Date.now() / 1000),
        nonces: this.dpopNonces,
      },
    };
  }

  async reloadGlobals(): Promise<void> {
    this.#globals = await loadGlobals(this.store, this.environment);
  }

  /** Applies change-feed topics: credential caches, globals, deployments. */
  async applyChanges(topics: ReadonlySet<ChangeTopic>): Promise<void> {
    if (topics.has('consumers') || topics.has('apiKeys') || topics.has('basicCredentials')) {
      this.cache.clear();
      this.passwords.clear();
    }
    if (topics.has('globals')) await this.reloadGlobals();
    if (topics.has('deployments')) await this.deployments.reload();
  }

  /**
   * Store reachable and signing keys loaded. Answers within READY_TIMEOUT_MS even when the store
   * stalls (a load balancer's probe must not hang with it).
   */
  async ready(): Promise<{ ok: boolean; checks: JsonObject }> {
    let timer: NodeJS.Timeout | undefined;
    const storeOk = await Promise.race([
      this.store.changes.latest().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), READY_TIMEOUT_MS))),
    ]).finally(() => clearTimeout(timer));
    const keysOk =
      this.#tokens !== null &&
      (await this.#tokens.jwks().then(
        () => true,
        () => false,
      ));
    return {
      ok: storeOk && keysOk,
      checks: { store: storeOk, keys: keysOk, deployments: this.deployments.served.size },
    };
  }
}
