// Encrypted accounts over the store: seal on write, open on read, a short in-memory cache for executions.
import type { AccountResolver, AccountValue } from '../core/account-types.js';
import type { JsonObject } from '../core/json.js';
import { PlatformError } from '../errors/index.js';
import { accountAad } from '../security/index.js';
import type { SecretBox } from '../security/index.js';
import type { AccountSummary, Store } from '../store/store.js';
import { checkLabel, expressionFields } from './account-value.js';

/** How long a decrypted account stays cached per node; edits reach every node within this bound. */
export const ACCOUNT_CACHE_MS = 5_000;

/** Accounts of one store, sealed with the master key's envelope. */
export class AccountService {
  private readonly cache = new Map<string, { value: AccountValue; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates or replaces `label` in `env`. */
  async put(env: string, label: string, value: AccountValue, description: string | null = null): Promise<AccountSummary> {
    checkLabel(label);
    const encrypted = this.box.sealJson(value, accountAad(env, label));
    const record = await this.store.accounts.put(env, { label, type: value.type, description, encrypted });
    this.cache.delete(`${env}\u0000${label}`);
    return { environment: record.environment, label: record.label, type: record.type, description: record.description, createdAt: record.createdAt, updatedAt: record.updatedAt };
  }

  /** The decrypted value; ERR_STORE_ACCOUNT_NOT_FOUND when absent. */
  async get(env: string, label: string): Promise<AccountValue> {
    const key = `${env}\u0000${label}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    const record = await this.store.accounts.get(env, label);
    if (!record) throw new PlatformError('ERR_STORE_ACCOUNT_NOT_FOUND', { label, environment: env });
    const value = this.box.openJson<AccountValue>(record.encrypted, accountAad(env, label), `account ${label}`);
    this.cache.set(key, { value, until: this.now() + ACCOUNT_CACHE_MS });
    return value;
  }

  list(env: string): Promise<AccountSummary[]> {
    return this.store.accounts.list(env);
  }

  async remove(env: string, label: string): Promise<boolean> {
    this.cache.delete(`${env}\u0000${label}`);
    return this.store.accounts.remove(env, label);
  }

  /** Labels among `labels` that do not exist in `env` (deploy-time check). */
  async missing(env: string, labels: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const label of labels) if (!(await this.store.accounts.get(env, label))) out.push(label);
    return out;
  }

  /** The resolver connectors use as `ctx.host.accounts`. */
  resolver(env: string): AccountResolver {
    return { resolve: (label) => this.get(env, label) };
  }

  /** `{ label: { field: value } }` for `{{ account.<label>.<field> }}` (engine's accountScope). */
  async scope(labels: readonly string[], env: string): Promise<JsonObject> {
    const out: JsonObject = {};
    for (const label of labels) out[label] = expressionFields(await this.get(env, label));
    return out;
  }
}
