// Secret files are owner-only whatever the umask, and a master key others can read is refused (issue 10 item 14).
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPlatformError } from '../errors/index.js';
import { generateMasterKeyText, loadMasterKey } from '../security/master-key.js';
import { openStore } from './open-store.js';

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

let root: string;
let savedUmask: number;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pg-private-'));
  // The most permissive umask: nothing is filtered, so the modes below come from the code alone.
  savedUmask = process.umask(0o000);
});
afterEach(async () => {
  process.umask(savedUmask);
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('private files (Unix modes; Windows has none)', () => {
  it('creates the data directory 0700 and the database and its WAL files 0600 under umask 000', async () => {
    const dataDir = join(root, 'nested', 'data');
    const store = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
    try {
      await store.consumers.create('test', { name: 'alice' });
      expect(await mode(dataDir)).toBe(0o700);
      expect(await mode(join(dataDir, 'pipegate.db'))).toBe(0o600);
      expect(await mode(join(dataDir, 'pipegate.db-wal'))).toBe(0o600);
      expect(await mode(join(dataDir, 'pipegate.db-shm'))).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('creates the master key file 0600 in a 0700 directory under umask 000', async () => {
    const dataDir = join(root, 'keydir');
    await loadMasterKey({ env: {}, dataDir });
    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(join(dataDir, 'master.key'))).toBe(0o600);
  });

  it.each(['644', '640', '604', '620'])(
    'refuses an existing master key file of mode %s with a coded error naming the chmod',
    async (bad) => {
      const file = join(root, 'master.key');
      const text = generateMasterKeyText();
      await writeFile(file, text + '\n');
      await chmod(file, parseInt(bad, 8));
      const err = await loadMasterKey({ env: {}, dataDir: root }).catch((e: unknown) => e);
      expect(isPlatformError(err) && err.code).toBe('ERR_MASTER_KEY_PERMISSIONS');
      expect((err as Error).message).toContain(`chmod 600 ${file}`);
      expect((err as Error).message).not.toContain(text);
    },
  );

  it('accepts an owner-only master key file (0600, 0400)', async () => {
    const file = join(root, 'master.key');
    const text = generateMasterKeyText();
    await writeFile(file, text + '\n');
    for (const ok of [0o600, 0o400]) {
      await chmod(file, ok);
      await expect(loadMasterKey({ env: {}, dataDir: root })).resolves.toBeDefined();
    }
  });
});
