// Accounts: typed values, encryption at rest on a real SQLite file, the CLI, and use from a pipeline.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountService, buildAccountValue } from '../../src/accounts/index.js';
import { defaultRegistry } from '../../src/connectors/index.js';
import { runPipeline } from '../../src/core/engine/index.js';
import { loadPipelineText } from '../../src/core/loader/index.js';
import type { PlatformError } from '../../src/errors/index.js';
import { SecretBox, generateMasterKeyText, parseMasterKey } from '../../src/security/index.js';
import type { MasterKey } from '../../src/security/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { cli } from '../cli/cli-support.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

describe('account values', () => {
  it.each([
    ['secret-key', { value: 'c2VjcmV0', encoding: 'base64' }],
    ['private-key', { pem: privatePem }],
    ['public-key', { pem: publicPem }],
    ['jwk', { jwk: '{"kty":"oct","k":"c2VjcmV0"}' }],
    ['basic', { username: 'u', password: 'p' }],
    ['api-key', { key: 'k' }],
    ['custom-auth-header', { name: 'X-Api-Key', value: 'v' }],
    ['oauth-bearer', { token: 't' }],
  ])('%s is accepted', (type, fields) => {
    expect(buildAccountValue('a', type, fields as Record<string, string>).type).toBe(type);
  });

  it.each([
    ['unknown type', 'magic', { value: 'x' }],
    ['missing field', 'basic', { username: 'u' }],
    ['unknown field', 'api-key', { key: 'k', extra: 'x' }],
    ['bad PEM', 'private-key', { pem: 'not a key' }],
    ['public PEM as private', 'private-key', { pem: publicPem }],
    ['bad base64', 'secret-key', { value: '***', encoding: 'base64' }],
    ['JWK not JSON', 'jwk', { jwk: '{' }],
    ['JWK without kty', 'jwk', { jwk: '{"a":1}' }],
    ['bad header name', 'custom-auth-header', { name: 'X Bad', value: 'v' }],
    ['too long', 'api-key', { key: 'k'.repeat(10_001) }],
  ])('%s is ERR_ACCOUNT_INVALID and the message never holds the value', (_name, type, fields) => {
    try {
      buildAccountValue('a', type, fields as Record<string, string>);
      expect.unreachable();
    } catch (err) {
      expect((err as PlatformError).code).toBe('ERR_ACCOUNT_INVALID');
      for (const v of Object.values(fields)) if (v.length > 3) expect((err as Error).message).not.toContain(v);
    }
  });
});

describe('AccountService on a real SQLite file', () => {
  let dir: string;
  let store: Store;
  let service: AccountService;
  let master: MasterKey;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pipegate-accounts-'));
    store = await openStore(`sqlite:${join(dir, 'pipegate.db')}`);
    master = parseMasterKey(generateMasterKeyText(), 'test');
    service = new AccountService(store, new SecretBox(master));
  });
  afterAll(async () => store.close());

  it('round-trips a value and stores only ciphertext', async () => {
    await service.put('test', 'db', { type: 'basic', username: 'app', password: 'pw-7f3e9a1c' }, 'the database');
    expect(await service.get('test', 'db')).toEqual({ type: 'basic', username: 'app', password: 'pw-7f3e9a1c' });
    const record = await store.accounts.get('test', 'db');
    expect(record!.encrypted).not.toContain('pw-7f3e9a1c');
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes('pw-7f3e9a1c')).toBe(false);
  });

  it('rejects a bad label with ERR_ACCOUNT_LABEL', async () => {
    await expect(service.put('test', 'Bad_Label', { type: 'api-key', key: 'k' })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_LABEL' });
  });

  it('is per environment: a blob copied to another environment does not open', async () => {
    const record = await store.accounts.get('test', 'db');
    await store.accounts.put('prod', { label: 'db', type: 'basic', description: null, encrypted: record!.encrypted });
    await expect(new AccountService(store, new SecretBox(master)).get('prod', 'db')).rejects.toMatchObject({ code: 'ERR_SECRET_DECRYPT' });
  });

  it('another master key cannot open it', async () => {
    const other = new AccountService(store, new SecretBox(parseMasterKey(generateMasterKeyText(), 'other')));
    await expect(other.get('test', 'db')).rejects.toMatchObject({ code: 'ERR_MASTER_KEY_MISMATCH' });
  });

  it('reports missing accounts and unknown labels', async () => {
    expect(await service.missing('test', ['db', 'nope'])).toEqual(['nope']);
    await expect(service.get('test', 'nope')).rejects.toMatchObject({ code: 'ERR_STORE_ACCOUNT_NOT_FOUND' });
  });

  it('feeds {{ account.<label>.<field> }} and masks the values in logs', async () => {
    const pipeline = loadPipelineText(
      'p.yaml',
      `name: uses-account\nversion: "1.0"\nsteps:\n  - type: log\n    level: INFO\n    message: "connecting as {{ account.db.username }} with {{ account.db.password }}"\n  - type: json-generator\n    json: { user: "{{ account.db.username }}" }\n`,
      { registry: defaultRegistry },
    );
    expect(pipeline.accounts).toEqual(['db']);
    const result = await runPipeline(pipeline, { message: {}, host: { accountScope: (labels, env) => service.scope(labels, env) } });
    expect(result.output).toEqual({ user: 'app' });
    expect(result.logs[0]!.message).toBe('connecting as *** with ***');
  });
});

describe('pipegate accounts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipegate-accounts-cli-'));
  const pemFile = join(dir, 'key.pem');
  writeFileSync(pemFile, privatePem);
  const store = ['--data-dir', dir];

  it('adds, lists, shows and removes without ever printing a value', async () => {
    const add = await cli(['accounts', 'add', 'signer', '--type', 'private-key', '--set-file', `pem=${pemFile}`, '--json', ...store]);
    expect(add.code).toBe(0);
    const add2 = await cli(['accounts', 'add', 'partner', '--type', 'api-key', '--set', 'key=pk-1234567890', ...store]);
    expect(add2.code).toBe(0);
    const list = await cli(['accounts', 'list', '--json', ...store]);
    expect((JSON.parse(list.stdout) as { label: string }[]).map((a) => a.label)).toEqual(['partner', 'signer']);
    const show = await cli(['accounts', 'show', 'partner', '--json', ...store]);
    expect(JSON.parse(show.stdout)).toMatchObject({ label: 'partner', type: 'api-key', fields: ['key', 'value'] });
    for (const out of [add, add2, list, show]) {
      expect(out.stdout + out.stderr).not.toContain('pk-1234567890');
      expect(out.stdout + out.stderr).not.toContain('PRIVATE KEY');
    }
    expect((await cli(['accounts', 'remove', 'partner', ...store])).code).toBe(0);
    const gone = await cli(['accounts', 'show', 'partner', ...store]);
    expect(gone.stderr).toContain('ERR_STORE_ACCOUNT_NOT_FOUND');
  });

  it('refuses an invalid value with a coded error', async () => {
    const out = await cli(['accounts', 'add', 'x', '--type', 'basic', '--set', 'username=u', ...store]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('ERR_ACCOUNT_INVALID');
  });
});
