// Memory: RSS of a gateway process after its token service has verified 1,000,000 distinct tokens.
// Run: npm run build && node --expose-gc bench/token-cache-memory.js [--tokens 1000000] [--alg HS256]
// The tokens are real realm tokens (the login token's claims with a new jti/iat/exp each, signed with
// the realm key) verified by the running gateway's TokenService — the verified-token cache on the
// request path — in this process; RSS and heap are read after a forced GC every 100,000 tokens.
import { rm } from 'node:fs/promises';
import { createHmac, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SignJWT, importJWK } from 'jose';
import { startBenchGateway } from './lib/bench-gateway.js';

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '1000000' },
    alg: { type: 'string', default: 'HS256' },
  },
});
const total = Number(values.tokens);
const alg = values.alg;
const LOGIN = `name: bench-login
version: "1.0"
trigger: { type: rest, methods: [POST], routes: [/auth], removePrefix: true, auth: { apiKey: true } }
steps:
  - type: json-generator
    json: { userID: u-1 }
  - type: jwt
    scopes: read
`;

const { SecretBox, openPrivateJwk } = await import('../dist/security/index.js');
const { gw, master, root, apiKey } = await startBenchGateway({
  files: { 'login.yaml': LOGIN },
  alg,
  prefix: 'pg-bench-mem-',
});
const mb = (n) => Math.round(n / 1024 / 1024);
const gc = () => globalThis.gc?.();
try {
  const login = await fetch(`${gw.url}/auth`, {
    method: 'POST',
    headers: { apikey: apiKey, 'content-type': 'application/json' },
    body: '{}',
  });
  const template = login.headers.get('authorization').slice(7);
  const rec = await gw.store.signingKeys.getActive('test', 'local');
  const jwk = openPrivateJwk(new SecretBox(master), rec);
  const key = await importJWK(jwk, alg);
  // HS256 tokens are signed here with node:crypto directly (synchronous, ~µs): the run measures
  // verification, not minting. Other algorithms go through jose.
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = b64({ alg, typ: 'at+jwt', kid: rec.kid });
  const hmacKey = alg === 'HS256' ? Buffer.from(jwk.k, 'base64url') : null;
  const mint = async (payload) => {
    if (!hmacKey)
      return new SignJWT(payload)
        .setProtectedHeader({ alg, typ: 'at+jwt', kid: rec.kid })
        .sign(key);
    const input = `${header}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', hmacKey).update(input).digest('base64url')}`;
  };
  const claims = JSON.parse(Buffer.from(template.split('.')[1], 'base64url').toString('utf8'));
  gc();
  const base = process.memoryUsage();
  const rows = [`| tokens verified | RSS MB | heap used MB |`, `|---|---|---|`];
  rows.push(`| 0 | ${mb(base.rss)} | ${mb(base.heapUsed)} |`);
  let maxRss = base.rss;
  const started = performance.now();
  const now = Math.floor(Date.now() / 1000);
  for (let i = 1; i <= total; i++) {
    const token = await mint({ ...claims, jti: randomUUID(), iat: now, exp: now + 900 });
    const v = await gw.tokens.verify(token);
    if (!v.ok) throw new Error(`token ${i} refused: ${v.reason}`);
    if (i % 100_000 === 0 || i === total) {
      gc();
      const m = process.memoryUsage();
      maxRss = Math.max(maxRss, m.rss);
      rows.push(`| ${i.toLocaleString('en')} | ${mb(m.rss)} | ${mb(m.heapUsed)} |`);
      process.stderr.write(`${i}: rss ${mb(m.rss)} MB heap ${mb(m.heapUsed)} MB\n`);
    }
  }
  const token = template.length;
  process.stdout.write(
    [
      `node ${process.version}, ${alg}, ${total.toLocaleString('en')} distinct tokens of ${token} characters, ${Math.round((performance.now() - started) / 1000)} s; default cache bounds (10,000 entries, 32 MiB estimated).`,
      '',
      ...rows,
      '',
      `max RSS ${mb(maxRss)} MB (target < 300 MB): ${mb(maxRss) < 300 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
} finally {
  await gw.close();
  await rm(root, { recursive: true, force: true });
}
