// Two gateway nodes sharing one PostgreSQL store: deployments, credentials and tokens reach both.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startGateway } from '../../src/gateway/index.js';
import type { Gateway } from '../../src/gateway/index.js';
import { generateMasterKeyText } from '../../src/security/index.js';
import { postgresTarget } from '../store/harness.js';
import type { StoreTarget } from '../store/harness.js';
import { echoPipeline, eventually, pipelineDir } from './harness.js';

describe('scale-out on PostgreSQL', () => {
  let pgTarget: StoreTarget;
  let a: Gateway;
  let b: Gateway;
  let root: string;
  const env = { PIPEGATE_MASTER_KEY: generateMasterKeyText() };
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> => {
    const out: string[] = [];
    const code = await main([...args, '--store', pgTarget.url], {
      stdout: (t) => void out.push(t),
      stderr: (t) => void out.push(t),
      env,
      cwd: root,
    });
    return { code, out: out.join('') };
  };

  beforeAll(async () => {
    pgTarget = await postgresTarget();
    const p = await pipelineDir({ 'token.json': echoPipeline('token', { auth: { jwt: true } }) });
    root = p.root;
    // Nodes behind one load balancer share the public URL: it is the token issuer.
    const common = {
      store: pgTarget.url,
      env,
      port: 0,
      logger: false as const,
      publicUrl: 'http://gateway.test',
      pollIntervalMs: 50,
    };
    a = await startGateway({ ...common, dirs: [p.dir] });
    b = await startGateway({ ...common, dirs: [p.dir] });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pgTarget?.dispose();
  });

  it('serves a CLI deploy on every node within the poll bound', async () => {
    const file = join(root, 'keyed.json');
    await writeFile(file, echoPipeline('keyed', { auth: { apiKey: true } }));
    expect((await cli('deploy', file)).code).toBe(0);
    const created = await cli('consumers', 'create', 'acme', '--json');
    const key = (JSON.parse(created.out) as { apiKey: string }).apiKey;
    for (const node of [a, b]) {
      await eventually(async () =>
        expect(
          (await fetch(`${node.url}/pipeline/local/v1/keyed`, { headers: { apikey: key } })).status,
        ).toBe(200),
      );
    }
    const keyId = (
      JSON.parse((await cli('consumers', 'show', 'acme', '--json')).out) as {
        consumer: { apiKeys: { id: string }[] };
      }
    ).consumer.apiKeys[0]!.id;
    expect((await cli('consumers', 'revoke-key', 'acme', keyId)).code).toBe(0);
    for (const node of [a, b]) {
      await eventually(async () =>
        expect(
          (await fetch(`${node.url}/pipeline/local/v1/keyed`, { headers: { apikey: key } })).status,
        ).toBe(401),
      );
    }
  });

  it('verifies on one node a token minted on the other, and revocation reaches both', async () => {
    const t = await a.tokens.issue({
      consumer: 'acme',
      claims: {},
      scopes: [],
      pipeline: 'x',
      executionKey: 'x',
      sensitiveFields: [],
    });
    const headers = { authorization: `Bearer ${t.token}` };
    expect((await fetch(`${b.url}/pipeline/local/v1/token`, { headers })).status).toBe(200);
    await a.tokens.revoke({ jti: t.jti });
    expect((await fetch(`${a.url}/pipeline/local/v1/token`, { headers })).status).toBe(401);
    await eventually(async () =>
      expect((await fetch(`${b.url}/pipeline/local/v1/token`, { headers })).status).toBe(401),
    );
  });
});

describe('scale-out on PostgreSQL: LISTEN/NOTIFY wakes the pollers', () => {
  let pgTarget: StoreTarget;
  let a: Gateway;
  let b: Gateway;
  const env = { PIPEGATE_MASTER_KEY: generateMasterKeyText() };

  beforeAll(async () => {
    pgTarget = await postgresTarget();
    const p = await pipelineDir({ 'keyed.json': echoPipeline('keyed', { auth: { apiKey: true } }) });
    // Polling every 10 minutes: within the test's bound only a notification can bring a change.
    const common = { store: pgTarget.url, env, port: 0, logger: false as const, pollIntervalMs: 600_000 };
    a = await startGateway({ ...common, dirs: [p.dir] });
    b = await startGateway({ ...common, dirs: [p.dir] });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await pgTarget?.dispose();
  });

  it('serves a consumer created on one node, and refuses its revoked key, on the other without polling', async () => {
    const out: string[] = [];
    const cli = (...args: string[]): Promise<number> =>
      main([...args, '--store', pgTarget.url, '--json'], {
        stdout: (t) => void out.push(t),
        stderr: () => undefined,
        env,
        cwd: process.cwd(),
      });
    expect(await cli('consumers', 'create', 'acme')).toBe(0);
    const key = (JSON.parse(out.join('')) as { apiKey: string }).apiKey;
    const call = async (node: Gateway): Promise<number> =>
      (await fetch(`${node.url}/pipeline/local/v1/keyed`, { headers: { apikey: key } })).status;
    for (const node of [a, b]) await eventually(async () => expect(await call(node)).toBe(200), 5000);
    // The key is now in both nodes' credential caches (5 s TTL): within 3 s only the notification
    // that clears them can make them refuse it.
    out.length = 0;
    expect(await cli('consumers', 'show', 'acme')).toBe(0);
    const keyId = (JSON.parse(out.join('')) as { consumer: { apiKeys: { id: string }[] } }).consumer
      .apiKeys[0]!.id;
    expect(await cli('consumers', 'revoke-key', 'acme', keyId)).toBe(0);
    for (const node of [a, b]) await eventually(async () => expect(await call(node)).toBe(401), 3000);
  });

  it('serves a CLI deploy on both nodes without polling', async () => {
    const dir = await pipelineDir({ 'fresh.json': echoPipeline('fresh') });
    const code = await main(['deploy', join(dir.dir, 'fresh.json'), '--store', pgTarget.url], {
      stdout: () => undefined,
      stderr: () => undefined,
      env,
      cwd: process.cwd(),
    });
    expect(code).toBe(0);
    for (const node of [a, b])
      await eventually(
        async () => expect((await fetch(`${node.url}/pipeline/local/v1/fresh`)).status).toBe(200),
        5000,
      );
  });
});
