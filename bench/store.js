// Store and credential-primitive costs on SQLite and PostgreSQL (run: npm run build && node bench/store.js).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../dist/store/index.js';
import {
  ApiKeyHasher,
  MasterKey,
  PasswordVerifier,
  generateApiKey,
  hashPassword,
  verifyPassword,
} from '../dist/security/index.js';

const PG_ADMIN = process.env.PIPEGATE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROUNDS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = 'bench';

async function timed(n, fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / 1e3 / n; // µs per call
}

async function seed(store, hasher) {
  const consumer = await store.consumers.create(env, { name: 'acme', scopes: ['read'] });
  const keys = [];
  for (let i = 0; i < 200; i++) {
    const k = generateApiKey();
    keys.push(k.key);
    await store.apiKeys.add(env, { id: k.id, consumerId: consumer.id, prefix: k.prefix, keyHash: hasher.hash(k.key) });
  }
  for (let i = 0; i < 200; i++) await store.revocations.add(env, { kind: 'jti', value: `j${i}`, expiresAt: Date.now() + 3_600_000 });
  return { consumer, keys };
}

const usageBatch = (n) =>
  Array.from({ length: n }, (_, i) => ({
    time: Date.now(), kind: 'auth', outcome: 'allowed', consumer: 'acme', jti: `t${i}`, pipeline: 'svc',
    route: '/pipeline/local/v1/svc', credentialKind: 'jwt', scopes: ['read'], latencyMs: 0.2,
    clientIp: '127.0.0.1', userAgent: 'bench/1', executionKey: randomBytes(16).toString('hex'),
  }));
const request = { body: { items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `item-${i}`, price: i * 1.5 })) } };
const execBatch = (n) =>
  Array.from({ length: n }, () => ({
    executionKey: randomBytes(16).toString('hex'), pipeline: 'svc', versionMajor: 1, versionMinor: 0,
    status: 'success', errorCode: null, startedAt: Date.now(), durationMs: 1.2, request, response: request,
  }));

async function openTargets() {
  const dir = await mkdtemp(join(tmpdir(), 'pipegate-bench-'));
  const targets = [{ name: 'sqlite', store: await openStore(`sqlite:${join(dir, 'p.db')}`), drop: () => rm(dir, { recursive: true, force: true }) }];
  const db = `pipegate_bench_${randomBytes(4).toString('hex')}`;
  try {
    const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const url = new URL(PG_ADMIN);
    url.pathname = `/${db}`;
    targets.push({
      name: 'postgres',
      store: await openStore(url.toString()),
      drop: async () => {
        const c = new pg.Client(PG_ADMIN);
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        await c.end();
      },
    });
  } catch (err) {
    console.log(`postgres skipped: ${err.code ?? err.message}`);
  }
  return targets;
}

async function storeBench(hasher) {
  const targets = await openTargets();
  for (const t of targets) Object.assign(t, await seed(t.store, hasher), { r: {} });
  const metrics = {
    'apiKeys.findByHash (µs)': (t) => timed(300, (i) => t.store.apiKeys.findByHash(env, hasher.hash(t.keys[i % 200]))),
    'consumers.get (µs)': (t) => timed(300, () => t.store.consumers.get(env, t.consumer.id)),
    'revocations.isRevoked (µs)': (t) => timed(300, (i) => t.store.revocations.isRevoked(env, { jti: `x${i}`, consumer: 'acme', issuedAt: Date.now() })),
    'usage.insertBatch 1000 (µs per event)': async (t) => (await timed(1, () => t.store.usage.insertBatch(env, usageBatch(1000)))) / 1000,
    'executions.insertBatch 100, ~1 KB each (µs per record)': async (t) => (await timed(1, () => t.store.executions.insertBatch(env, execBatch(100)))) / 100,
    'deployments.deploy (µs)': (t) => timed(20, (i) => t.store.deployments.deploy(env, { name: 'p', major: 1, minor: i, definition: 'x', format: 'yaml' })),
  };
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved: each round measures every metric on every dialect, so noise hits them alike.
    for (const [name, fn] of Object.entries(metrics)) {
      for (const t of targets) (t.r[name] ??= []).push(await fn(t));
    }
  }
  const rows = Object.keys(metrics).map((name) => [name, ...targets.map((t) => median(t.r[name]).toFixed(1))]);
  for (const t of targets) {
    await t.store.close();
    await t.drop();
  }
  return { header: ['operation', ...targets.map((t) => t.name)], rows };
}

async function credentialBench(master, hasher) {
  const { key } = generateApiKey();
  const hash = await hashPassword('correct horse battery staple');
  const verifier = new PasswordVerifier(master);
  await verifier.verify('alice', 'correct horse battery staple', hash);
  const r = { apiKeyHash: [], scrypt: [], cached: [] };
  for (let round = 0; round < ROUNDS; round++) {
    r.apiKeyHash.push(await timed(5000, () => hasher.verify(key, hasher.hash(key))));
    r.scrypt.push(await timed(3, () => verifyPassword('correct horse battery staple', hash)));
    r.cached.push(await timed(5000, () => verifier.verify('alice', 'correct horse battery staple', hash)));
  }
  return {
    header: ['credential check', 'µs per check'],
    rows: [
      ['API key: HMAC-SHA256 + constant-time compare', median(r.apiKeyHash).toFixed(2)],
      ['Basic: scrypt ln=15 r=8 p=1 (uncached)', median(r.scrypt).toFixed(0)],
      ['Basic: PasswordVerifier cache hit', median(r.cached).toFixed(2)],
      ['cache speed-up (×)', (median(r.scrypt) / median(r.cached)).toFixed(0)],
    ],
  };
}

const table = ({ header, rows }) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const master = new MasterKey(randomBytes(32));
const hasher = new ApiKeyHasher(master);
console.log(`node ${process.version}, ${ROUNDS} interleaved rounds, medians\n`);
console.log(table(await storeBench(hasher)));
console.log('');
console.log(table(await credentialBench(master, hasher)));
