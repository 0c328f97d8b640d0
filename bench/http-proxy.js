// Benchmark: a JWT-protected Pipegate pipeline forwarding to a local upstream (http-request connector) vs
// node:http + jose + undici written by hand vs Fastify + @fastify/jwt + @fastify/http-proxy. ES256 tokens.
// Run: npm run build && node bench/http-proxy.js [--duration 5] [--rounds 3] [--connections 32] [--warmup 5000]
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { answerParent, load, median, startChild } from './lib/child-server.js';

const SELF = fileURLToPath(import.meta.url);
const ORDER = {
  id: 'A-1001',
  status: 'shipped',
  customer: { id: 'c-7', name: 'Ada Lovelace' },
  items: [
    { sku: 'KB-01', qty: 1, unitPrice: 49.9 },
    { sku: 'MS-02', qty: 2, unitPrice: 19.5 },
  ],
  total: 88.9,
};

const LOGIN = `name: bench-login
version: "1.0"
trigger: { type: rest, methods: [POST], routes: [/auth], removePrefix: true, auth: { apiKey: true } }
steps:
  - type: json-generator
    json: { userID: u-1 }
  - type: jwt
    scopes: read
`;
const proxyPipeline = (upstream) => `name: bench-proxy
version: "1.0"
trigger: { type: rest, methods: [GET], routes: [/orders/:id], removePrefix: true, auth: { jwt: true, scopes: [read] } }
steps:
  - type: http-request
    url: "${upstream}/orders/{{ message.queryAndPath.id }}"
    failOnError: true
  - type: json-generator
    json: "{{ message.body }}"
`;

// ---------------------------------------------------------------- servers (child processes)

async function upstreamServer() {
  const body = JSON.stringify(ORDER);
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, cleanup: () => new Promise((r) => server.close(r)) };
}

async function pipegateServer(cfg) {
  const { startGateway } = await import('../dist/gateway/index.js');
  const { loadMasterKey } = await import('../dist/security/index.js');
  const { createConsumer } = await import('../dist/consumers/consumer-admin.js');
  const root = await mkdtemp(join(tmpdir(), 'pg-bench-proxy-'));
  const dir = join(root, 'pipelines');
  const dataDir = join(root, 'data');
  await mkdir(dir);
  await writeFile(join(dir, 'login.yaml'), LOGIN);
  await writeFile(join(dir, 'proxy.yaml'), proxyPipeline(cfg.upstream));
  const gw = await startGateway({ dirs: [dir], port: 0, dataDir, env: {}, logger: false, allowEgress: ['127.0.0.1'] });
  const master = await loadMasterKey({ env: {}, dataDir, create: false });
  const { apiKey } = await createConsumer({ store: gw.store, master, environment: 'test' }, { name: 'bench', pipelines: ['*'], scopes: ['read'] });
  const login = await fetch(`${gw.url}/auth`, { method: 'POST', headers: { apikey: apiKey, 'content-type': 'application/json' }, body: '{}' });
  const token = login.headers.get('authorization').slice(7);
  const rec = await gw.store.signingKeys.getActive('test', 'local');
  return {
    url: gw.url,
    token,
    issuer: gw.tokens.issuer,
    audience: gw.tokens.audience,
    publicJwk: rec.publicJwk,
    cleanup: async () => {
      await gw.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** What a developer would write by hand: node:http, jose for the token, an undici pool to the upstream. */
async function handServer(cfg) {
  const { importJWK, jwtVerify } = await import('jose');
  const { Pool } = await import('undici');
  const key = await importJWK(cfg.publicJwk, 'ES256');
  const pool = new Pool(cfg.upstream, { connections: 64 });
  const server = createServer(async (req, res) => {
    const h = req.headers.authorization;
    try {
      if (!h?.startsWith('Bearer ')) throw new Error('missing');
      const { payload } = await jwtVerify(h.slice(7), key, { algorithms: ['ES256'], issuer: cfg.issuer, audience: cfg.audience, typ: 'at+jwt' });
      if (!String(payload.scope ?? '').split(' ').includes('read')) throw new Error('scope');
    } catch {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
      return;
    }
    try {
      const id = encodeURIComponent(req.url.split('/')[2] ?? '');
      const up = await pool.request({ path: `/orders/${id}`, method: 'GET', headersTimeout: 30_000, bodyTimeout: 30_000 });
      const data = await up.body.json();
      const body = JSON.stringify(data);
      res.writeHead(up.statusCode, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
    } catch {
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Bad Gateway"}');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cleanup: async () => {
      await new Promise((r) => server.close(r));
      await pool.close();
    },
  };
}

async function fastifyServer(cfg) {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyJwt } = await import('@fastify/jwt');
  const { default: proxy } = await import('@fastify/http-proxy');
  const { createPublicKey } = await import('node:crypto');
  const app = Fastify({ logger: false });
  const pub = createPublicKey({ key: cfg.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  await app.register(fastifyJwt, { secret: { public: pub }, verify: { algorithms: ['ES256'], allowedIss: cfg.issuer, allowedAud: cfg.audience } });
  await app.register(proxy, {
    upstream: cfg.upstream,
    prefix: '/orders',
    rewritePrefix: '/orders',
    preHandler: async (req) => {
      const payload = await req.jwtVerify();
      if (!String(payload.scope ?? '').split(' ').includes('read')) throw Object.assign(new Error('Forbidden'), { statusCode: 403 });
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${app.server.address().port}`, cleanup: () => app.close() };
}

async function serve(kind, cfgText) {
  const cfg = JSON.parse(cfgText);
  const make = { upstream: upstreamServer, pipegate: pipegateServer, hand: handServer, fastify: fastifyServer }[kind];
  const { cleanup, ...info } = await make(cfg);
  answerParent(info, cleanup);
}

// ---------------------------------------------------------------- driver

/**
 * CPU µs used so far by the main (event-loop) thread of process `pid` (Linux /proc; null elsewhere).
 * The process total also counts helper threads: the hand-written proxy's jose verifies with
 * WebCrypto, which runs the ECDSA check on libuv's thread pool, so its main thread carries less
 * than its total; a proxy whose main thread is saturated stops scaling whatever its total.
 */
function mainThreadUs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000; // utime + stime, 100 ticks/s
  } catch {
    return null;
  }
}

const child = (kind, cfg) => startChild(SELF, ['serve', kind, JSON.stringify(cfg)]);

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '5000' },
    },
  });
  const opts = { duration: Number(values.duration), connections: Number(values.connections) };
  const rounds = Number(values.rounds);
  const { default: autocannon } = await import('autocannon');
  const children = [];
  try {
    const up = await child('upstream', {});
    children.push(up.child);
    const upstream = up.info.url;
    const pg = await child('pipegate', { upstream });
    children.push(pg.child);
    const cfg = { upstream, issuer: pg.info.issuer, audience: pg.info.audience, publicJwk: pg.info.publicJwk };
    const hand = await child('hand', cfg);
    const fa = await child('fastify', cfg);
    children.push(hand.child, fa.child);
    const request = { headers: { authorization: `Bearer ${pg.info.token}` } };
    const variants = [
      { name: 'pipegate (http-request)', url: `${pg.info.url}/orders/A-1001`, cpu: pg.cpu, pid: pg.child.pid },
      { name: 'node:http+jose+undici (by hand)', url: `${hand.info.url}/orders/A-1001`, cpu: hand.cpu, pid: hand.child.pid },
      { name: 'fastify+@fastify/jwt+@fastify/http-proxy', url: `${fa.info.url}/orders/A-1001`, cpu: fa.cpu, pid: fa.child.pid },
    ];
    // Same answer everywhere before measuring.
    for (const v of variants) {
      const res = await fetch(v.url, request);
      const body = await res.json();
      if (res.status !== 200 || body.id !== ORDER.id) throw new Error(`${v.name}: ${res.status} ${JSON.stringify(body)}`);
    }
    // Warm-up by request count, not time: on a loaded machine 2 s were a few hundred requests, too
    // few for the JIT to optimise the gateway's longer path, and the first rounds measured that.
    for (const v of variants) await autocannon({ url: v.url, connections: opts.connections, amount: Number(values.warmup), ...request });
    const results = new Map();
    for (let r = 0; r < rounds; r++) {
      const order = variants.map((_, i) => variants[(i + r) % variants.length]);
      for (const v of order) {
        const main0 = mainThreadUs(v.pid);
        const m = await load(autocannon, v.url, { ...opts, request, cpu: v.cpu });
        const main1 = mainThreadUs(v.pid);
        m.mainUs = main0 === null || main1 === null ? NaN : (main1 - main0) / Math.round(m.rps * opts.duration);
        results.set(v.name, [...(results.get(v.name) ?? []), m]);
        process.stderr.write(`round ${r + 1} ${v.name}: ${Math.round(m.rps)} req/s p99 ${m.p99} ms, ${Math.round(m.cpuUs)} µs CPU/req (main thread ${Math.round(m.mainUs)})\n`);
      }
    }
    const hand0 = results.get(variants[1].name);
    const lines = [
      `node ${process.version}, ${opts.connections} connections, ${opts.duration} s x ${rounds} rounds, interleaved; medians.`,
      'ratio = variant ÷ the hand-written proxy, per round then the median of the rounds (req/s: higher is better; CPU: lower is better). Server CPU excludes the upstream; main thread = the event-loop thread alone (Linux).',
      '',
      '| variant | req/s | p99 ms | server CPU µs/req | main-thread CPU µs/req | req/s ratio | CPU/req ratio | main-thread CPU ratio |',
      '|---|---|---|---|---|---|---|---|',
    ];
    const perRound = [''];
    for (const v of variants) {
      const ms = results.get(v.name);
      const rpsRatio = median(ms.map((m, i) => m.rps / hand0[i].rps));
      const cpuRatio = median(ms.map((m, i) => m.cpuUs / hand0[i].cpuUs));
      const mainRatio = median(ms.map((m, i) => m.mainUs / hand0[i].mainUs));
      lines.push(
        `| ${v.name} | ${Math.round(median(ms.map((m) => m.rps)))} | ${median(ms.map((m) => m.p99))} | ${Math.round(median(ms.map((m) => m.cpuUs)))} | ${Math.round(median(ms.map((m) => m.mainUs)))} | ${rpsRatio.toFixed(2)} | ${cpuRatio.toFixed(2)} | ${mainRatio.toFixed(2)} |`,
      );
      perRound.push(`${v.name}: req/s ratio per round ${ms.map((m, i) => (m.rps / hand0[i].rps).toFixed(2)).join(' ')}`);
    }
    process.stdout.write(`${[...lines, ...perRound].join('\n')}\n`);
  } finally {
    for (const child of children) child.stdin.end();
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3], process.argv[4]);
else await main();
