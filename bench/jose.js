// jose connector sign/verify throughput per algorithm vs the bare `jose` package (run: npm run build && node bench/jose.js).
import { generateKeyPairSync, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify } from 'jose';
import { joseConnector } from '../dist/connectors/jose/jose-connector.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const MS_PER_SAMPLE = Number(process.env.MS ?? 150);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The minimal StepContext the connector reads (clock, host, signal). */
const ctx = {
  executionKey: 'bench',
  signal: new AbortController().signal,
  clock: { now: () => Date.now(), uuid: () => 'u', random: () => 0.5 },
  metadata: {},
  pipeline: { name: 'bench', versionMajor: 1, versionMinor: 0, realm: 'local', environment: 'test', sensitiveFields: [] },
  request: {},
  auth: null,
  response: { headers: {}, setHeader() {} },
  localSession: { get() {}, put() {}, delete() {} },
  host: {},
  stepPath: '/steps/0',
  sessionFrame: '',
  log() {},
  mask: (t) => t,
};

/** A connector step prepared once (as the engine does at load), run many times. */
function step(params) {
  const problems = [];
  const prepared = joseConnector.prepare(params, { path: '', report: (e) => problems.push(e) });
  if (problems.length) throw problems[0];
  return () => joseConnector.run(ctx, { params, message: {}, prepared, flows: {}, branches: [] });
}

const pair = (type, options) => generateKeyPairSync(type, options);
const keys = {
  HS256: { priv: { kty: 'oct', k: randomBytes(32).toString('base64url') } },
  RS256: pair('rsa', { modulusLength: 2048 }),
  ES256: pair('ec', { namedCurve: 'prime256v1' }),
  ES256K: pair('ec', { namedCurve: 'secp256k1' }),
  EdDSA: pair('ed25519'),
};
keys.PS256 = keys.RS256;
const jwk = (k, half) => (k.priv ? k.priv : k[half].export({ format: 'jwk' }));
const bareKey = (k, half) => (k.priv ? Buffer.from(k.priv.k, 'base64url') : k[half]);
const payload = new TextEncoder().encode(JSON.stringify({ sub: 'bench-user', scope: 'read write', iat: 1767225600 }));
const claims = JSON.parse(new TextDecoder().decode(payload));

/** Per algorithm: connector and bare variants of sign and verify. */
function jwsVariants(alg) {
  const k = keys[alg];
  let fixed;
  // jose has no ES256K: its bare baseline is node:crypto doing what a compact JWS needs (RFC 8812).
  const es256kInput = () => `${Buffer.from('{"alg":"ES256K"}').toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  const bareSign = alg === 'ES256K'
    ? async () => `${es256kInput()}.${nodeSign('sha256', Buffer.from(es256kInput()), { key: k.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
    : () => new CompactSign(payload).setProtectedHeader({ alg }).sign(bareKey(k, 'privateKey'));
  const bareVerify = alg === 'ES256K'
    ? async () => {
        const [h, p, sig] = fixed.token.split('.');
        return nodeVerify('sha256', Buffer.from(`${h}.${p}`), { key: k.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
      }
    : () => compactVerify(fixed.token, bareKey(k, 'publicKey'), { algorithms: [alg] });
  const connectorSign = step({ operation: 'generate-jws', algorithm: alg, key: { jwk: jwk(k, 'privateKey') }, payload: claims });
  return {
    async setup() {
      const out = await connectorSign();
      fixed = { token: out.jws };
      fixed.verify = step({ operation: 'verify-jws', algorithms: [alg], key: { jwk: jwk(k, 'publicKey') }, token: out.jws });
    },
    sign: { connector: connectorSign, bare: bareSign },
    verify: { connector: () => fixed.verify(), bare: bareVerify },
  };
}

/** JWE: encrypt (generate-jwe) and decrypt (decode-jwe) for a few key-management algorithms. */
function jweVariants(alg, enc, k) {
  const encKey = k.priv ? Buffer.from(k.priv.k, 'base64url') : k.publicKey;
  const decKey = k.priv ? encKey : k.privateKey;
  const encJwk = k.priv ? k.priv : k.publicKey.export({ format: 'jwk' });
  const decJwk = k.priv ? k.priv : k.privateKey.export({ format: 'jwk' });
  const connectorEnc = step({ operation: 'generate-jwe', algorithm: alg, encryption: enc, key: { jwk: encJwk }, payload: claims });
  let token;
  let connectorDec;
  return {
    async setup() {
      token = (await connectorEnc()).jwe;
      connectorDec = step({ operation: 'decode-jwe', algorithms: [alg], encryptions: [enc], key: { jwk: decJwk }, token });
    },
    sign: { connector: connectorEnc, bare: () => new CompactEncrypt(payload).setProtectedHeader({ alg, enc }).encrypt(encKey) },
    verify: { connector: () => connectorDec(), bare: () => compactDecrypt(token, decKey) },
  };
}

/** Operations per second of `fn` over about MS_PER_SAMPLE milliseconds. */
async function opsPerSec(fn) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MS_PER_SAMPLE) {
    for (let i = 0; i < 8; i++) await fn();
    n += 8;
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}

async function measure(name, variants) {
  await variants.setup();
  const rows = [];
  for (const op of ['sign', 'verify']) {
    const samples = { connector: [], bare: [], ratio: [] };
    await opsPerSec(variants[op].connector);
    await opsPerSec(variants[op].bare);
    for (let r = 0; r < ROUNDS; r++) {
      // Interleaved, alternating which goes first, so machine noise hits both alike.
      const order = r % 2 ? ['bare', 'connector'] : ['connector', 'bare'];
      const got = {};
      for (const v of order) got[v] = await opsPerSec(variants[op][v]);
      samples.connector.push(got.connector);
      samples.bare.push(got.bare);
      samples.ratio.push(got.connector / got.bare);
    }
    rows.push({ name, op, connector: median(samples.connector), bare: median(samples.bare), ratio: median(samples.ratio) });
  }
  return rows;
}

const rows = [];
for (const alg of ['HS256', 'RS256', 'PS256', 'ES256', 'ES256K', 'EdDSA']) rows.push(...(await measure(alg, jwsVariants(alg))));
rows.push(...(await measure('A256KW+A256GCM', jweVariants('A256KW', 'A256GCM', keys.HS256))));
rows.push(...(await measure('dir+A256GCM', jweVariants('dir', 'A256GCM', keys.HS256))));
rows.push(...(await measure('RSA-OAEP-256+A256GCM', jweVariants('RSA-OAEP-256', 'A256GCM', keys.RS256))));
rows.push(...(await measure('ECDH-ES+A256GCM', jweVariants('ECDH-ES', 'A256GCM', keys.ES256))));

console.log(`node ${process.version}, ${ROUNDS} interleaved rounds of ~${MS_PER_SAMPLE} ms per variant; medians`);
console.log('| algorithm | op | connector ops/s | bare ops/s | connector / bare |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) {
  const op = r.name.includes('+') ? (r.op === 'sign' ? 'encrypt' : 'decrypt') : r.op;
  console.log(`| ${r.name} | ${op} | ${Math.round(r.connector)} | ${Math.round(r.bare)} | ${r.ratio.toFixed(2)} |`);
}
