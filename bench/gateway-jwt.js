// Benchmark: a Pipegate JWT-protected pipeline vs Fastify + @fastify/jwt vs node:http + jose (ES256, HS256), plus login.
// Run: npm run build && node bench/gateway-jwt.js [--duration 5] [--rounds 3] [--connections 32]
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { answerParent, load, median, startChild } from './lib/child-server.js';

const SELF = fileURLToPath(import.meta.url);
const SMALL_JSON = { ok: true, service: 'protected', items: [1, 2, 3] };

const SERVICE = `name: bench-service
version: "1.0"
trigger: { type: rest, methods: [GET], routes: [/protected], removePrefix: true, auth: { jwt: true, scopes: [read] } }
steps:
  - type: json-generator
    json: { ok: true, service: protected, items: [1, 2, 3] }
`;
const LOGIN = `name: bench-login
version: "1.0"
trigger: { type: rest, methods: [POST], routes: [/auth], removePrefix: true, auth: { apiKey: true } }
steps:
  - type: json-generator
    json: { userID: u-1 }
  - type: jwt
    scopes: read
`;

// ---------------------------------------------------------------- servers (child processes)

async function pipegateServer(alg) {
  const { startGateway } = await import('../dist/gateway/index.js');
  const { openStore } = await import('../dist/store/index.js');
  const { loadMasterKey, verifyMasterKey, SecretBox, createSealedSigningKey, openPrivateJwk } =
    await import('../dist/security/index.js');
  const { createConsumer } = await import('../dist/consumers/consumer-admin.js');
  const root = await mkdtemp(join(tmpdir(), 'pg-bench-'));
  const dir = join(root, 'pipelines');
  const dataDir = join(root, 'data');
  await mkdir(dir);
  await mkdir(dataDir);
  await writeFile(join(dir, 'service.yaml'), SERVICE);
  await writeFile(join(dir, 'login.yaml'), LOGIN);
  // The realm's first key with the wanted algorithm (the server creates ES256 only when none exists).
  const pre = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
  const master = await loadMasterKey({ env: {}, dataDir, create: true });
  await verifyMasterKey(pre.meta, master);
  await pre.signingKeys.create(
    'test',
    await createSealedSigningKey(new SecretBox(master), 'test', 'local', alg),
  );
  await pre.close();
  const gw = await startGateway({ dirs: [dir], port: 0, dataDir, env: {}, logger: false });
  const { apiKey } = await createConsumer(
    { store: gw.store, master, environment: 'test' },
    { name: 'bench', pipelines: ['*'], scopes: ['read'] },
  );
  const login = await fetch(`${gw.url}/auth`, {
    method: 'POST',
    headers: { apikey: apiKey, 'content-type': 'application/json' },
    body: '{}',
  });
  const token = login.headers.get('authorization').slice(7);
  const rec = await gw.store.signingKeys.getActive('test', 'local');
  const key =
    alg === 'HS256'
      ? { secret: openPrivateJwk(new SecretBox(master), rec).k }
      : { publicJwk: rec.publicJwk };
  return {
    url: gw.url,
    token,
    apiKey,
    issuer: gw.tokens.issuer,
    audience: gw.tokens.audience,
    ...key,
    cleanup: async () => {
      await gw.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function fastifyServer(cfg) {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyJwt } = await import('@fastify/jwt');
  const { createPublicKey, createPrivateKey, generateKeyPairSync } = await import('node:crypto');
  const app = Fastify({ logger: false });
  const verify = { algorithms: [cfg.alg], allowedIss: cfg.issuer, allowedAud: cfg.audience };
  if (cfg.alg === 'HS256') {
    await app.register(fastifyJwt, {
      secret: Buffer.from(cfg.secret, 'base64url'),
      verify,
      sign: { algorithm: 'HS256' },
    });
  } else {
    const pub = createPublicKey({ key: cfg.publicJwk, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    // Login signing uses a key of its own (the benchmark measures the cost, not the key).
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await app.register(fastifyJwt, {
      secret: { public: pub, private: privateKey.export({ type: 'pkcs8', format: 'pem' }) },
      verify,
      sign: { algorithm: 'ES256' },
    });
    void createPrivateKey;
  }
  app.get('/protected', { onRequest: async (req) => req.jwtVerify() }, async () => SMALL_JSON);
  app.post('/auth', async (req, reply) => {
    if (req.headers.apikey !== 'bench-key')
      return reply.code(401).send({ message: 'Unauthorized' });
    const token = await reply.jwtSign(
      { userID: 'u-1', scope: 'read', client_id: 'bench', iss: cfg.issuer, aud: cfg.audience },
      { expiresIn: '15m' },
    );
    return reply.header('authorization', `Bearer ${token}`).send({ status: 'logged' });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${app.server.address().port}`, cleanup: () => app.close() };
}

async function joseServer(cfg) {
  const { importJWK, jwtVerify } = await import('jose');
  const key =
    cfg.alg === 'HS256'
      ? Buffer.from(cfg.secret, 'base64url')
      : await importJWK(cfg.publicJwk, cfg.alg);
  const body = JSON.stringify(SMALL_JSON);
  const server = createServer(async (req, res) => {
    const h = req.headers.authorization;
    try {
      if (!h?.startsWith('Bearer ')) throw new Error('missing');
      await jwtVerify(h.slice(7), key, {
        algorithms: [cfg.alg],
        issuer: cfg.issuer,
        audience: cfg.audience,
        typ: 'at+jwt',
      });
      res
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        })
        .end(body);
    } catch {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cleanup: () => new Promise((r) => server.close(r)),
  };
}

async function serve(kind, cfgText) {
  const cfg = JSON.parse(cfgText);
  const s =
    kind === 'pipegate'
      ? await pipegateServer(cfg.alg)
      : kind === 'fastify'
        ? await fastifyServer(cfg)
        : await joseServer(cfg);
  const { cleanup, ...info } = s;
  answerParent(info, cleanup);
}

// ---------------------------------------------------------------- driver

const child = (kind, cfg) => startChild(SELF, ['serve', kind, JSON.stringify(cfg)]);

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
    },
  });
  const opts = { duration: Number(values.duration), connections: Number(values.connections) };
  const rounds = Number(values.rounds);
  const { default: autocannon } = await import('autocannon');
  const children = [];
  const cases = [];
  try {
    for (const alg of ['ES256', 'HS256']) {
      const pg = await child('pipegate', { alg });
      children.push(pg.child);
      const cfg = {
        alg,
        issuer: pg.info.issuer,
        audience: pg.info.audience,
        publicJwk: pg.info.publicJwk,
        secret: pg.info.secret,
      };
      const fa = await child('fastify', cfg);
      const jo = await child('jose', cfg);
      children.push(fa.child, jo.child);
      const auth = { headers: { authorization: `Bearer ${pg.info.token}` } };
      cases.push({
        name: `reused ${alg} token`,
        variants: [
          { name: 'pipegate', url: `${pg.info.url}/protected`, request: auth, cpu: pg.cpu },
          {
            name: 'fastify+@fastify/jwt',
            url: `${fa.info.url}/protected`,
            request: auth,
            cpu: fa.cpu,
          },
          { name: 'node:http+jose', url: `${jo.info.url}/protected`, request: auth, cpu: jo.cpu },
        ],
      });
      if (alg === 'ES256') {
        cases.push({
          name: 'login (API key -> new ES256 token)',
          variants: [
            {
              name: 'pipegate',
              url: `${pg.info.url}/auth`,
              request: {
                method: 'POST',
                headers: { apikey: pg.info.apiKey, 'content-type': 'application/json' },
                body: '{}',
              },
              cpu: pg.cpu,
            },
            {
              name: 'fastify+@fastify/jwt',
              url: `${fa.info.url}/auth`,
              request: { method: 'POST', headers: { apikey: 'bench-key' } },
              cpu: fa.cpu,
            },
          ],
        });
      }
    }
    // One warm-up pass over every variant first (JIT, caches, SQLite pages), not measured.
    for (const c of cases)
      for (const v of c.variants)
        await load(autocannon, v.url, { ...opts, duration: 3, request: v.request });
    const results = new Map();
    for (let r = 0; r < rounds; r++) {
      for (const c of cases) {
        // Interleaved: every variant of a case once per round, order rotated each round.
        const order = c.variants.map((_, i) => c.variants[(i + r) % c.variants.length]);
        for (const v of order) {
          const m = await load(autocannon, v.url, { ...opts, request: v.request, cpu: v.cpu });
          const key = `${c.name}|${v.name}`;
          results.set(key, [...(results.get(key) ?? []), m]);
          process.stderr.write(
            `round ${r + 1} ${key}: ${Math.round(m.rps)} req/s p99 ${m.p99} ms, ${Math.round(m.cpuUs)} µs CPU/req\n`,
          );
        }
      }
    }
    const lines = [
      `node ${process.version}, ${opts.connections} connections, ${opts.duration} s x ${rounds} rounds, interleaved; medians.`,
      'ratio = variant ÷ pipegate, computed per round (same moment of the noisy machine) then the median of the rounds; req/s ratio < 1 or CPU ratio > 1 means pipegate does better.',
      '',
      '| case | variant | req/s | p99 ms | server CPU µs/req | req/s ratio | CPU/req ratio |',
      '|---|---|---|---|---|---|---|',
    ];
    for (const c of cases) {
      const base = results.get(`${c.name}|pipegate`);
      for (const v of c.variants) {
        const ms = results.get(`${c.name}|${v.name}`);
        const rpsRatio = median(ms.map((m, i) => m.rps / base[i].rps));
        const cpuRatio = median(ms.map((m, i) => m.cpuUs / base[i].cpuUs));
        lines.push(
          `| ${c.name} | ${v.name} | ${Math.round(median(ms.map((m) => m.rps)))} | ${median(ms.map((m) => m.p99))} | ${Math.round(median(ms.map((m) => m.cpuUs)))} | ${rpsRatio.toFixed(2)} | ${cpuRatio.toFixed(2)} |`,
        );
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const child of children) child.stdin.end();
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3], process.argv[4]);
else await main();
