// Master key: parsing, the 0600 key file, derivation, and the store check value.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import {
  MASTER_KEY_CHECK_META,
  MasterKey,
  loadMasterKey,
  parseMasterKey,
  verifyMasterKey,
} from './master-key.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipegate-mk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseMasterKey', () => {
  const raw = randomBytes(32);
  it.each([
    ['hex', raw.toString('hex')],
    ['base64', raw.toString('base64')],
    ['base64url', raw.toString('base64url')],
    ['base64 with newline', raw.toString('base64') + '\n'],
  ])('accepts 32 bytes as %s', (_name, text) => {
    expect(parseMasterKey(text, 'test').checkValue()).toBe(new MasterKey(raw).checkValue());
  });

  it.each([
    '',
    'short',
    randomBytes(16).toString('hex'),
    randomBytes(31).toString('base64'),
    'z'.repeat(64),
  ])('rejects %j with ERR_MASTER_KEY_INVALID without echoing it', (text) => {
    try {
      parseMasterKey(text, 'PIPEGATE_MASTER_KEY');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({
        code: 'ERR_MASTER_KEY_INVALID',
        details: { source: 'PIPEGATE_MASTER_KEY' },
      });
      if (text.length > 8) expect((err as Error).message).not.toContain(text.trim());
    }
  });
});

describe('MasterKey', () => {
  it('derives independent keys per purpose and never serialises the raw key', () => {
    const raw = randomBytes(32);
    const k = new MasterKey(raw, 'test');
    const purposes = ['envelope', 'api-key-hash', 'password-cache', 'check'] as const;
    const derived = purposes.map((p) => k.derive(p).toString('hex'));
    expect(new Set(derived).size).toBe(4);
    expect(derived).not.toContain(raw.toString('hex'));
    expect(JSON.stringify({ k })).not.toContain(raw.toString('base64'));
    expect(JSON.stringify({ k })).not.toContain(raw.toString('hex'));
    expect(k.id).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('loadMasterKey', () => {
  it('prefers PIPEGATE_MASTER_KEY', async () => {
    const text = randomBytes(32).toString('base64');
    const k = await loadMasterKey({ env: { PIPEGATE_MASTER_KEY: text }, dataDir: dir });
    expect(k.source).toBe('PIPEGATE_MASTER_KEY');
    expect(k.checkValue()).toBe(parseMasterKey(text, 'x').checkValue());
  });

  it('creates the key file with mode 0600 once and reads it back', async () => {
    const dataDir = join(dir, 'data');
    const first = await loadMasterKey({ env: {}, dataDir });
    const file = join(dataDir, 'master.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await loadMasterKey({ env: {}, dataDir });
    expect(second.checkValue()).toBe(first.checkValue());
    expect((await readFile(file, 'utf8')).trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('fails with ERR_MASTER_KEY_MISSING without env or data dir, or when creation is off', async () => {
    await expect(loadMasterKey({ env: {} })).rejects.toMatchObject({
      code: 'ERR_MASTER_KEY_MISSING',
    });
    await expect(loadMasterKey({ env: {}, dataDir: dir, create: false })).rejects.toMatchObject({
      code: 'ERR_MASTER_KEY_MISSING',
    });
  });
});

describe('verifyMasterKey', () => {
  it('records the check value on a fresh store and refuses another key with ERR_MASTER_KEY_MISMATCH', async () => {
    const store = await openStore(`sqlite:${join(dir, 'p.db')}`);
    try {
      const right = new MasterKey(randomBytes(32), 'right');
      await verifyMasterKey(store.meta, right);
      expect(await store.meta.get(MASTER_KEY_CHECK_META)).toBe(right.checkValue());
      await verifyMasterKey(store.meta, right);
      const wrong = new MasterKey(randomBytes(32), 'PIPEGATE_MASTER_KEY');
      await expect(verifyMasterKey(store.meta, wrong)).rejects.toMatchObject({
        code: 'ERR_MASTER_KEY_MISMATCH',
        details: { source: 'PIPEGATE_MASTER_KEY' },
      });
    } finally {
      await store.close();
    }
  });
});
