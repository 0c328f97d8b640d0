// Consumer administration on the store: create with a first API key, keys, Basic credentials, enable, delete.
import { randomBytes } from 'node:crypto';
import { PlatformError } from '../errors/index.js';
import { ApiKeyHasher, generateApiKey, hashPassword } from '../security/index.js';
import { ABSOLUTE_MAX_LIFETIME_MS } from '../security/tokens/claims-policy.js';
import type { MasterKey } from '../security/index.js';
import type { ApiKeyRecord, BasicCredential, Consumer, Store } from '../store/store.js';

/** Where consumer commands act. */
export interface ConsumerTarget {
  store: Store;
  master: MasterKey;
  environment: string;
}

/** A consumer as listed and shown: credentials by id, never a secret or hash. */
export interface ConsumerView {
  name: string;
  enabled: boolean;
  pipelines: string[];
  scopes: string[] | null;
  createdAt: string;
  apiKeys: { id: string; prefix: string; createdAt: string; revokedAt: string | null }[];
  basicAuth: { username: string; createdAt: string }[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Checks a consumer name or Basic username. */
export function checkConsumerName(what: string, name: string): string {
  if (!NAME.test(name)) {
    throw new PlatformError('ERR_CONSUMER_INVALID_NAME', {
      what,
      name: name.slice(0, 80),
      reason: 'use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    });
  }
  return name;
}

/** Parses `a,b` lists; `*` alone means every pipeline. */
export function parseList(
  text: string | undefined,
  what: 'pipelines' | 'scopes',
): string[] | undefined {
  if (text === undefined) return undefined;
  const items = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  for (const item of items) {
    const ok =
      what === 'scopes' ? SCOPE.test(item) : item === '*' || /^[a-z0-9][a-z0-9-]*$/.test(item);
    if (!ok)
      throw new PlatformError('ERR_CONSUMER_INVALID_NAME', {
        what: what === 'scopes' ? 'scope' : 'pipeline name',
        name: item.slice(0, 80),
        reason: 'unexpected characters',
      });
  }
  return items;
}

async function mustGet(t: ConsumerTarget, name: string): Promise<Consumer> {
  const c = await t.store.consumers.getByName(t.environment, name);
  if (!c) throw new PlatformError('ERR_CONSUMER_NOT_FOUND', { name, environment: t.environment });
  return c;
}

async function newKey(
  t: ConsumerTarget,
  consumerId: string,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const g = generateApiKey();
  const record = await t.store.apiKeys.add(t.environment, {
    id: g.id,
    consumerId,
    prefix: g.prefix,
    keyHash: new ApiKeyHasher(t.master).hash(g.key),
  });
  return { key: g.key, record };
}

/** Creates a consumer and its first API key; the key is returned once and never stored. */
export async function createConsumer(
  t: ConsumerTarget,
  input: { name: string; pipelines?: string[]; scopes?: string[] | null; enabled?: boolean },
): Promise<{ consumer: Consumer; apiKey: string; keyId: string }> {
  checkConsumerName('consumer name', input.name);
  return t.store.transaction(async (tx) => {
    const consumer = await tx.consumers.create(t.environment, {
      name: input.name,
      pipelines: input.pipelines ?? ['*'],
      scopes: input.scopes ?? null,
      enabled: input.enabled ?? true,
    });
    const { key, record } = await newKey({ ...t, store: tx }, consumer.id);
    return { consumer, apiKey: key, keyId: record.id };
  });
}

export async function addApiKey(
  t: ConsumerTarget,
  name: string,
): Promise<{ apiKey: string; keyId: string }> {
  const c = await mustGet(t, name);
  const { key, record } = await newKey(t, c.id);
  return { apiKey: key, keyId: record.id };
}

export async function revokeApiKey(t: ConsumerTarget, name: string, keyId: string): Promise<void> {
  const c = await mustGet(t, name);
  const rec = await t.store.apiKeys.get(t.environment, keyId);
  if (
    !rec ||
    rec.consumerId !== c.id ||
    rec.revokedAt !== null ||
    !(await t.store.apiKeys.revoke(t.environment, keyId))
  ) {
    throw new PlatformError('ERR_CONSUMER_API_KEY_NOT_FOUND', { name, keyId: keyId.slice(0, 80) });
  }
}

/** A generated password: 24 base64url characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function checkPassword(password: string): string {
  if (password.length < 12 || password.length > 1024 || /[\r\n]/.test(password)) {
    throw new PlatformError('ERR_CONSUMER_PASSWORD_INVALID', {
      reason: 'expected 12 to 1024 characters on one line',
    });
  }
  return password;
}

export async function addBasic(
  t: ConsumerTarget,
  name: string,
  username: string,
  password: string,
): Promise<BasicCredential> {
  checkConsumerName('Basic Auth username', username);
  checkPassword(password);
  const c = await mustGet(t, name);
  return t.store.basicCredentials.add(t.environment, {
    consumerId: c.id,
    username,
    passwordHash: await hashPassword(password),
  });
}

export async function removeBasic(
  t: ConsumerTarget,
  name: string,
  username: string,
): Promise<void> {
  const c = await mustGet(t, name);
  const cred = await t.store.basicCredentials.findByUsername(t.environment, username);
  if (
    !cred ||
    cred.consumerId !== c.id ||
    !(await t.store.basicCredentials.remove(t.environment, cred.id))
  ) {
    throw new PlatformError('ERR_CONSUMER_BASIC_NOT_FOUND', {
      name,
      username: username.slice(0, 80),
    });
  }
}

export async function setEnabled(
  t: ConsumerTarget,
  name: string,
  enabled: boolean,
): Promise<Consumer> {
  const c = await mustGet(t, name);
  return (await t.store.consumers.update(t.environment, c.id, { enabled }))!;
}

/** Changes the allowed pipelines and/or the scope ceiling (`[]` scopes: none; null: no ceiling). */
export async function updateConsumer(
  t: ConsumerTarget,
  name: string,
  patch: { pipelines?: string[]; scopes?: string[] | null },
): Promise<Consumer> {
  const c = await mustGet(t, name);
  return (await t.store.consumers.update(t.environment, c.id, patch))!;
}

/**
 * Deletes the consumer and, in the same transaction, revokes every token of that name issued before
 * the second of the deletion (SPEC §6.4 consumer revocation). Tokens also carry the consumer's id,
 * which a consumer re-created under the same name does not share, so tokens issued within that
 * second are refused as well; the cut-off at the start of the second keeps a consumer re-created
 * right away able to log in. The row lives as long as the longest possible token (365 days).
 */
export async function deleteConsumer(t: ConsumerTarget, name: string): Promise<void> {
  const c = await mustGet(t, name);
  await t.store.transaction(async (tx) => {
    const now = Date.now();
    await tx.consumers.delete(t.environment, c.id);
    await tx.revocations.add(t.environment, {
      kind: 'consumer',
      value: c.name,
      issuedBefore: now - (now % 1000),
      expiresAt: now + ABSOLUTE_MAX_LIFETIME_MS + REVOCATION_MARGIN_MS,
    });
  });
}

/** Leeway past the longest token lifetime before a deletion's revocation row may be purged. */
const REVOCATION_MARGIN_MS = 24 * 60 * 60 * 1000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

async function view(t: ConsumerTarget, c: Consumer): Promise<ConsumerView> {
  const keys = await t.store.apiKeys.listForConsumer(t.environment, c.id);
  const basics = await t.store.basicCredentials.list(t.environment, c.id);
  return {
    name: c.name,
    enabled: c.enabled,
    pipelines: c.pipelines,
    scopes: c.scopes,
    createdAt: iso(c.createdAt)!,
    apiKeys: keys.map((k) => ({
      id: k.id,
      prefix: k.prefix,
      createdAt: iso(k.createdAt)!,
      revokedAt: iso(k.revokedAt),
    })),
    basicAuth: basics.map((b) => ({ username: b.username, createdAt: iso(b.createdAt)! })),
  };
}

export async function showConsumer(t: ConsumerTarget, name: string): Promise<ConsumerView> {
  return view(t, await mustGet(t, name));
}

export async function listConsumers(t: ConsumerTarget): Promise<ConsumerView[]> {
  const out: ConsumerView[] = [];
  for (const c of await t.store.consumers.list(t.environment)) out.push(await view(t, c));
  return out;
}
