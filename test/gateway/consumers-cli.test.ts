// `pipegate consumers …` on an embedded store: keys shown once, listings without secrets, coded errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

describe('consumers CLI', () => {
  let root: string;
  const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['consumers', ...args, '--data-dir', join(root, 'data')], {
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      env: {},
      cwd: root,
    });
    return { code, out: out.join(''), err: err.join('') };
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-consumers-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('creates a consumer and prints its API key once, in one JSON document', async () => {
    const r = await run(
      'create',
      'acme',
      '--pipelines',
      'orders,auth-login',
      '--scopes',
      'read,write',
      '--json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      apiKey: string;
      keyId: string;
      consumer: { name: string; pipelines: string[]; scopes: string[] };
    };
    expect(doc.apiKey).toMatch(/^pg_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(doc.consumer).toMatchObject({
      name: 'acme',
      pipelines: ['orders', 'auth-login'],
      scopes: ['read', 'write'],
    });
    const show = await run('show', 'acme', '--json');
    expect(show.out).not.toContain(doc.apiKey);
    expect(show.out).toContain(doc.keyId);
    const list = await run('list', '--json');
    expect((JSON.parse(list.out) as { consumers: unknown[] }).consumers).toHaveLength(1);
    expect(list.out).not.toContain(doc.apiKey);
    expect(list.out).not.toMatch(/hash/i);
  });

  it('adds and revokes API keys, adds and removes Basic credentials', async () => {
    const added = JSON.parse((await run('add-key', 'acme', '--json')).out) as {
      apiKey: string;
      keyId: string;
    };
    expect(added.apiKey).toMatch(/^pg_/);
    expect((await run('revoke-key', 'acme', added.keyId)).code).toBe(0);
    const again = await run('revoke-key', 'acme', added.keyId);
    expect(again.code).toBe(2);
    expect(again.err).toContain('ERR_CONSUMER_API_KEY_NOT_FOUND');
    const basic = JSON.parse((await run('add-basic', 'acme', 'acme-user', '--json')).out) as {
      password: string;
      username: string;
    };
    expect(basic.password.length).toBeGreaterThanOrEqual(24);
    const show = await run('show', 'acme', '--json');
    expect(show.out).toContain('acme-user');
    expect(show.out).not.toContain(basic.password);
    expect(show.out).toMatch(/"revokedAt": "\d{4}-/);
    expect((await run('remove-basic', 'acme', 'acme-user')).code).toBe(0);
    expect((await run('remove-basic', 'acme', 'acme-user')).err).toContain(
      'ERR_CONSUMER_BASIC_NOT_FOUND',
    );
  });

  it('updates allowed pipelines and the scope ceiling', async () => {
    const r = JSON.parse(
      (await run('update', 'acme', '--pipelines', '*', '--scopes', 'read', '--json')).out,
    ) as { consumer: { pipelines: string[]; scopes: string[] | null } };
    expect(r.consumer).toMatchObject({ pipelines: ['*'], scopes: ['read'] });
    const cleared = JSON.parse((await run('update', 'acme', '--scopes', '-', '--json')).out) as {
      consumer: { scopes: string[] | null };
    };
    expect(cleared.consumer.scopes).toBeNull();
    expect((await run('update', 'acme')).err).toContain('ERR_CLI_USAGE');
  });

  it('disables, enables and deletes; unknown names and bad input are coded errors', async () => {
    expect(JSON.parse((await run('disable', 'acme', '--json')).out)).toMatchObject({
      consumer: 'acme',
      enabled: false,
    });
    expect(JSON.parse((await run('enable', 'acme', '--json')).out)).toMatchObject({
      enabled: true,
    });
    expect((await run('create', 'acme')).err).toContain('ERR_STORE_CONFLICT');
    expect((await run('create', 'bad name!')).err).toContain('ERR_CONSUMER_INVALID_NAME');
    expect((await run('delete', 'acme')).code).toBe(0);
    const gone = await run('show', 'acme');
    expect(gone.code).toBe(2);
    expect(gone.err).toContain('ERR_CONSUMER_NOT_FOUND');
    expect((await run('frobnicate')).err).toContain('ERR_CLI_USAGE');
  });

  it('keeps environments apart', async () => {
    await run('create', 'prod-only', '--environment', 'prod');
    expect((await run('show', 'prod-only')).err).toContain('ERR_CONSUMER_NOT_FOUND');
    expect((await run('show', 'prod-only', '--environment', 'prod')).code).toBe(0);
  });
});
