// Benchmark: a Pipegate JWT-protected pipeline vs Fastify + @fastify/jwt, node:http + jose and node:http
// + jose + a verified-token cache (reused ES256 and HS256 tokens, a new token on every request), plus
// login (API key -> new ES256 token) vs Fastify and node:http + jose signing.
// Run: npm run build && node bench/gateway-jwt.js [--duration 5] [--rounds 3] [--connections 32] [--only name,…]
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { answerParent, load, median, startChild } from './lib/child-server.js';
import { startBenchGateway } from './lib/bench-gateway.js';

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

async function pipegateServer(alg, record = true) {
  const { SecretBox, openPrivateJwk } = await import('../dist/security/index.js');
  const { gw, master, root, apiKey } = await startBenchGateway({
    files: { 'service.yaml': SERVICE, 'login.yaml': LOGIN },
    alg,
    // PIPEGATE_BENCH_OPTIONS (JSON): extra startGateway options, for experiments (e.g. which feature costs what).
    options: { monitoring: { record }, ...JSON.parse(process.env.PIPEGATE_BENCH_OPTIONS ?? '{}') },
  });
  const login = await fetch(`${gw.url}/auth`, {
    method: 'POST',
    headers: { apikey: apiKey, 'content-type': 'application/json' },
    body: '{}',
  });
  const token = login.headers.get('authorization').slice(7);
  const rec = await gw.store.signingKeys.getActive('test', 'local');
  const privateJwk = openPrivateJwk(new SecretBox(master), rec);
  const key =
    alg === 'HS256'
      ? { secret: privateJwk.k }
      : { publicJwk: rec.publicJwk, privateJwk: { ...privateJwk, kid: rec.kid } };
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

/**
 * node:http + jose. `cache: true` adds what a hand-written server would do for reused tokens: a Map
 * of verified payloads (bounded at 10,000 entries, oldest first out), checked for `exp` on every hit.
 * `POST /auth`: constant-time API key compare, then `SignJWT` ES256 with an imported key.
 */
async function joseServer(cfg, cache = false) {
  const { importJWK, jwtVerify, SignJWT, generateKeyPair } = await import('jose');
  const { randomUUID, timingSafeEqual } = await import('node:crypto');
  const key =
    cfg.alg === 'HS256'
      ? Buffer.from(cfg.secret, 'base64url')
      : await importJWK(cfg.publicJwk, cfg.alg);
  const { privateKey } = await generateKeyPair('ES256');
  const apiKey = Buffer.from('bench-key');
  const body = JSON.stringify(SMALL_JSON);
  const verified = new Map();
  const verify = async (token) => {
    const hit = cache ? verified.get(token) : undefined;
    if (hit) {
      if (hit.exp <= Date.now() / 1000) throw new Error('expired');
      return hit;
    }
    const { payload } = await jwtVerify(token, key, {
      algorithms: [cfg.alg],
      issuer: cfg.issuer,
      audience: cfg.audience,
      typ: 'at+jwt',
    });
    if (cache) {
      if (verified.size >= 10_000) verified.delete(verified.keys().next().value);
      verified.set(token, payload);
    }
    return payload;
  };
  const login = async (req, res) => {
    const presented = Buffer.from(String(req.headers.apikey ?? ''));
    req.resume();
    if (presented.length !== apiKey.length || !timingSafeEqual(presented, apiKey)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
      return;
    }
    const token = await new SignJWT({ scope: 'read', client_id: 'bench' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(cfg.issuer)
      .setAudience(cfg.audience)
      .setSubject('u-1')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(privateKey);
    const out = '{"status":"logged"}';
    res
      .writeHead(200, {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json; charset=utf-8',
        'content-length': out.length,
      })
      .end(out);
  };
  const server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/auth') return login(req, res);
    const h = req.headers.authorization;
    try {
      if (!h?.startsWith('Bearer ')) throw new Error('missing');
      await verify(h.slice(7));
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

/**
 * Fresh ES256 tokens for the "new token on every request" case: the login token's claims with a new
 * jti (time-ordered, as Pipegate mints it), iat and exp each, signed with the realm key (what
 * Pipegate's login would mint, minted here so that minting is not measured).
 */
async function mintTokens(cfg, template, count) {
  const { SignJWT, importJWK } = await import('jose');
  // jti as Pipegate mints it (a time-ordered UUID v7, src/security/tokens/issue-token.ts).
  const { uuidv7 } = await import('../dist/core/time-ordered-id.js');
  const key = await importJWK(cfg.privateJwk, 'ES256');
  const claims = JSON.parse(Buffer.from(template.split('.')[1], 'base64url').toString('utf8'));
  const now = Math.floor(Date.now() / 1000);
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(
      await new SignJWT({ ...claims, jti: uuidv7(), iat: now, exp: now + 900 })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: cfg.privateJwk.kid })
        .sign(key),
    );
  }
  return out;
}

/** autocannon request options sending the next token of `tokens` on every request (`used()` counts them). */
function freshTokenRequest(tokens) {
  let i = 0;
  return {
    used: () => i,
    request: {
      requests: [
        {
          setupRequest: (req) => ({
            ...req,
            headers: { authorization: `Bearer ${tokens[i++ % tokens.length]}` },
          }),
        },
      ],
    },
  };
}

async function serve(kind, cfgText) {
  const cfg = JSON.parse(cfgText);
  const s = kind.startsWith('pipegate')
    ? await pipegateServer(cfg.alg, kind !== 'pipegate-norecord')
    : kind === 'fastify'
      ? await fastifyServer(cfg)
      : await joseServer(cfg, kind === 'jose-cache');
  const { cleanup, ...info } = s;
  answerParent(info, cleanup);
}

// ---------------------------------------------------------------- driver

const child = (kind, cfg) => startChild(SELF, ['serve', kind, JSON.stringify(cfg)]);

/** The issue-15 targets: pipegate ÷ peer, req/s (and CPU per request, the less noisy reading). */
const TARGETS = [
  { case: 'reused ES256 token', peer: 'node:http+jose+cache', min: 0.5 },
  { case: 'reused HS256 token', peer: 'fastify+@fastify/jwt', min: 1.2 },
  { case: 'new ES256 token on every request', peer: 'node:http+jose', min: 0.9 },
  { case: 'login (API key -> new ES256 token)', peer: 'node:http+jose', min: 0.8 },
];

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      pool: { type: 'string', default: '40000' },
      only: { type: 'string' },
    },
  });
  const opts = { duration: Number(values.duration), connections: Number(values.connections) };
  const rounds = Number(values.rounds);
  const only = values.only ? values.only.split(',') : null;
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
      const reused = [
        { name: 'pipegate', url: `${pg.info.url}/protected`, request: auth, cpu: pg.cpu },
        {
          name: 'fastify+@fastify/jwt',
          url: `${fa.info.url}/protected`,
          request: auth,
          cpu: fa.cpu,
        },
        { name: 'node:http+jose', url: `${jo.info.url}/protected`, request: auth, cpu: jo.cpu },
      ];
      // Not a target variant: how much of pipegate's cost is execution recording (off here only).
      const nr = await child('pipegate-norecord', { alg });
      children.push(nr.child);
      reused.push({
        name: 'pipegate, recording off',
        url: `${nr.info.url}/protected`,
        request: { headers: { authorization: `Bearer ${nr.info.token}` } },
        cpu: nr.cpu,
      });
      if (alg === 'ES256') {
        const jc = await child('jose-cache', cfg);
        children.push(jc.child);
        reused.push({
          name: 'node:http+jose+cache',
          url: `${jc.info.url}/protected`,
          request: auth,
          cpu: jc.cpu,
        });
      }
      cases.push({ name: `reused ${alg} token`, variants: reused });
      if (alg === 'ES256') {
        // Every measurement gets tokens never sent before (minted just before it, not measured).
        const fresh = (name, base, server) => ({
          name,
          url: `${base}/protected`,
          cpu: server.cpu,
          prepare: async (count) => {
            const f = freshTokenRequest(
              await mintTokens({ privateJwk: pg.info.privateJwk }, pg.info.token, count),
            );
            return { request: f.request, used: f.used };
          },
        });
        cases.push({
          name: 'new ES256 token on every request',
          variants: [fresh('pipegate', pg.info.url, pg), fresh('node:http+jose', jo.info.url, jo)],
        });
        const loginPost = (url, apiKey, server, name) => ({
          name,
          url: `${url}/auth`,
          request: {
            method: 'POST',
            headers: { apikey: apiKey, 'content-type': 'application/json' },
            body: '{}',
          },
          cpu: server.cpu,
        });
        cases.push({
          name: 'login (API key -> new ES256 token)',
          variants: [
            loginPost(pg.info.url, pg.info.apiKey, pg, 'pipegate'),
            loginPost(jo.info.url, 'bench-key', jo, 'node:http+jose'),
            loginPost(fa.info.url, 'bench-key', fa, 'fastify+@fastify/jwt'),
          ],
        });
      }
    }
    const selected = only ? cases.filter((c) => only.some((o) => c.name.includes(o))) : cases;
    const pool = Number(values.pool);
    const run = async (v, o) => {
      if (!v.prepare) return load(autocannon, v.url, { ...o, request: v.request });
      const p = await v.prepare(pool);
      const m = await load(autocannon, v.url, { ...o, request: p.request });
      // More requests than tokens would turn the case into a reused-token one.
      if (p.used() > pool)
        process.stderr.write(`  ${p.used()} requests > --pool ${pool}: raise --pool\n`);
      return m;
    };
    // One warm-up pass over every variant first (JIT, caches, SQLite pages), not measured.
    for (const c of selected) for (const v of c.variants) await run(v, { ...opts, duration: 3 });
    const results = new Map();
    for (let r = 0; r < rounds; r++) {
      for (const c of selected) {
        // Interleaved: every variant of a case once per round, order rotated each round.
        const order = c.variants.map((_, i) => c.variants[(i + r) % c.variants.length]);
        for (const v of order) {
          const m = await run(v, { ...opts, cpu: v.cpu });
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
      'pipegate ÷ variant, computed per round (same moment of the noisy machine) then the median of the rounds: req/s ratio > 1 means pipegate serves more; CPU ratio = variant CPU/req ÷ pipegate CPU/req (> 1: pipegate uses less CPU per request).',
      '',
      '| case | variant | req/s | p99 ms | server CPU µs/req | pipegate ÷ variant, req/s | pipegate ÷ variant, CPU/req |',
      '|---|---|---|---|---|---|---|',
    ];
    const ratios = (c, name) => {
      const base = results.get(`${c}|pipegate`);
      const ms = results.get(`${c}|${name}`);
      return {
        rps: median(ms.map((m, i) => base[i].rps / m.rps)),
        cpu: median(ms.map((m, i) => m.cpuUs / base[i].cpuUs)),
      };
    };
    for (const c of selected) {
      for (const v of c.variants) {
        const ms = results.get(`${c.name}|${v.name}`);
        const q = ratios(c.name, v.name);
        lines.push(
          `| ${c.name} | ${v.name} | ${Math.round(median(ms.map((m) => m.rps)))} | ${median(ms.map((m) => m.p99))} | ${Math.round(median(ms.map((m) => m.cpuUs)))} | ${q.rps.toFixed(2)} | ${q.cpu.toFixed(2)} |`,
        );
      }
    }
    lines.push(
      '',
      '| target (issue 15 part 4) | pipegate ÷ peer, req/s | CPU/req | met (req/s) |',
      '|---|---|---|---|',
    );
    for (const t of TARGETS) {
      if (!results.has(`${t.case}|${t.peer}`)) continue;
      const q = ratios(t.case, t.peer);
      lines.push(
        `| ${t.case} vs ${t.peer} ≥ ${t.min}× | ${q.rps.toFixed(2)} | ${q.cpu.toFixed(2)} | ${q.rps >= t.min ? 'yes' : 'no'} |`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const child of children) child.stdin.end();
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3], process.argv[4]);
else await main();
