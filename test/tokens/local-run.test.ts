// `pipegate run` mints tokens: ephemeral key without a data dir; the data dir's store and key when it exists.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { runCommand } from '../../src/cli/commands/run.js';
import { localIssuer } from '../../src/cli/local-host.js';
import { loadMasterKey, SecretBox, verifyMasterKey } from '../../src/security/index.js';
import { openStore } from '../../src/store/index.js';
import {
  createTokenService,
  createUsageRecorder,
} from '../../src/security/tokens/token-service.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-run-'));
  writeFileSync(
    join(dir, 'login.yaml'),
    'name: login\nversion: "1.0"\nsteps:\n  - type: json-generator\n    json: { userID: "{{ global.prefix }}-1" }\n  - type: jwt\n    scopes: read\n    tokenIn: body\n    failOnError: true\n',
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCommand.run([join(dir, 'login.yaml'), ...args], {
    cwd: dir,
    env,
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
  });
  return { code, out, err };
}

describe('pipegate run with jwt', () => {
  it('mints for the test consumer with an ephemeral key and writes nothing to disk', async () => {
    const r = await run(['--consumer', 'tester', '--global', 'prefix=u']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { access_token: string; status: string };
    expect(out.status).toBe('logged');
    expect(decodeJwt(out.access_token)).toMatchObject({
      client_id: 'tester',
      userID: 'u-1',
      scopes: ['read'],
      aud: 'local:test',
    });
    expect(existsSync(join(dir, '.pipegate'))).toBe(false);
  });

  it('uses the data dir store: its globals, signing key and usage log; the token verifies there', async () => {
    const dataDir = join(dir, '.pipegate');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir);
    const store = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
    const master = await loadMasterKey({ env: {}, dataDir, create: true });
    await verifyMasterKey(store.meta, master);
    await store.globals.put('test', 'prefix', 'g');
    await store.consumers.create('test', { name: 'test-consumer', scopes: ['read'] });
    await store.close();

    const r = await run([]);
    expect(r.code).toBe(0);
    const token = (JSON.parse(r.out) as { access_token: string }).access_token;
    expect(decodeJwt(token)).toMatchObject({ userID: 'g-1', iss: localIssuer({}, 'local') });

    const again = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
    const usage = createUsageRecorder(again, 'test');
    const tokens = await createTokenService({
      store: again,
      box: new SecretBox(master),
      realm: 'local',
      environment: 'test',
      issuer: localIssuer({}, 'local'),
      usage,
      refreshIntervalMs: 0,
    });
    expect(await tokens.verify(token)).toMatchObject({ ok: true, consumer: 'test-consumer' });
    expect(await again.usage.query('test', { kind: 'issued' })).toHaveLength(1);
    await tokens.close();
    await usage.close();
    await again.close();
  });

  it('the scope ceiling of a stored consumer applies', async () => {
    const dataDir = join(dir, '.pipegate');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir);
    const store = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
    await verifyMasterKey(store.meta, await loadMasterKey({ env: {}, dataDir, create: true }));
    await store.consumers.create('test', { name: 'test-consumer', scopes: ['write'] });
    await store.close();
    const r = await run(['--global', 'prefix=x']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('ERR_JWT_SCOPE_NOT_ALLOWED');
  });
});
