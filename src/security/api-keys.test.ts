// API keys: format and entropy, keyed hashing, constant-time verification, lookup through the store.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { ApiKeyHasher, generateApiKey, parseApiKeyId } from './api-keys.js';
import { MasterKey } from './master-key.js';

const master = new MasterKey(randomBytes(32));
const hasher = new ApiKeyHasher(master);

describe('generateApiKey', () => {
  it('yields pg_<id>_<256-bit secret> with a display prefix and distinct values', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const k = generateApiKey();
      expect(k.key).toMatch(/^pg_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(k.prefix).toBe(`pg_${k.id}`);
      expect(k.key.startsWith(`${k.prefix}_`)).toBe(true);
      expect(Buffer.from(k.key.slice(16), 'base64url')).toHaveLength(32);
      expect(parseApiKeyId(k.key)).toBe(k.id);
      seen.add(k.key);
      seen.add(k.id);
    }
    expect(seen.size).toBe(400);
  });

  it('parses only well-formed keys', () => {
    expect(parseApiKeyId('pg_abc')).toBeNull();
    expect(parseApiKeyId('Bearer xyz')).toBeNull();
    expect(parseApiKeyId(`pg_ABCDEFGHIJKL_${'a'.repeat(43)}`)).toBeNull();
  });
});

describe('ApiKeyHasher', () => {
  it('hashes deterministically under the master key and verifies in constant time', () => {
    const { key } = generateApiKey();
    const h = hasher.hash(key);
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(h).toBe(hasher.hash(key));
    expect(h).not.toContain(key.slice(16));
    expect(new ApiKeyHasher(new MasterKey(randomBytes(32))).hash(key)).not.toBe(h);
    expect(hasher.verify(key, h)).toBe(true);
    expect(hasher.verify(key + 'x', h)).toBe(false);
    expect(hasher.verify(key, h.slice(1))).toBe(false);
    expect(hasher.verify('', h)).toBe(false);
  });

  it('finds the key record by hash in the store, and nothing for another key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pipegate-ak-'));
    const store = await openStore(`sqlite:${join(dir, 'p.db')}`);
    try {
      const consumer = await store.consumers.create('test', { name: 'acme' });
      const gen = generateApiKey();
      await store.apiKeys.add('test', {
        id: gen.id,
        consumerId: consumer.id,
        prefix: gen.prefix,
        keyHash: hasher.hash(gen.key),
      });
      const found = await store.apiKeys.findByHash('test', hasher.hash(gen.key));
      expect(found).toMatchObject({ id: gen.id, consumerId: consumer.id, prefix: gen.prefix });
      expect(hasher.verify(gen.key, found?.keyHash ?? '')).toBe(true);
      expect(await store.apiKeys.findByHash('test', hasher.hash(generateApiKey().key))).toBeNull();
      expect(await store.apiKeys.findByHash('prod', hasher.hash(gen.key))).toBeNull();
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
