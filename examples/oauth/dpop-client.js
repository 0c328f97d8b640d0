// A DPoP client (RFC 9449) for the gateway of `npm start`: gets a DPoP-bound token at /oauth2/token
// and calls /protected-resource with a fresh proof. Usage: APIKEY=… node examples/oauth/dpop-client.js
// Works with and without server nonces (`serve --dpop-nonce`): a `use_dpop_nonce` answer is retried
// once with the nonce of its DPoP-Nonce header, and the latest nonce goes into every later proof.
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';

const base = process.env.PIPEGATE_URL ?? 'http://127.0.0.1:8080';
const apikey = process.env.APIKEY;
if (!apikey) throw new Error('set APIKEY to the API key printed by npm start');

// The client's key pair: the private key never leaves the client.
const { privateKey, publicKey } = await generateKeyPair('ES256');
const jwk = await exportJWK(publicKey);

/** The latest server nonce (RFC 9449 §8), when the gateway sends one. */
let nonce;

/** One proof for one request (RFC 9449 §4.2): method, URL without query, token hash, nonce. */
function proof(htm, url, token) {
  const claims = { jti: randomUUID(), htm, htu: url, iat: Math.floor(Date.now() / 1000) };
  if (token) claims.ath = createHash('sha256').update(token).digest('base64url');
  if (nonce) claims.nonce = nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .sign(privateKey);
}

/** Sends a request with a fresh proof; on `use_dpop_nonce`, once more with the nonce it got. */
async function withProof(url, init, token) {
  for (let attempt = 0; ; attempt++) {
    const headers = { ...init.headers, dpop: await proof(init.method ?? 'GET', url, token) };
    const r = await fetch(url, { ...init, headers });
    nonce = r.headers.get('dpop-nonce') ?? nonce;
    const challenge = `${r.headers.get('www-authenticate') ?? ''}`;
    const retry =
      challenge.includes('use_dpop_nonce') ||
      (r.status === 400 && (await r.clone().json()).error === 'use_dpop_nonce');
    if (!retry || attempt === 1) return r;
  }
}

const tokenUrl = `${base}/oauth2/token`;
const res = await withProof(tokenUrl, {
  method: 'POST',
  headers: { apikey, 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&scope=read',
});
const body = await res.json();
if (res.status !== 200) throw new Error(`token endpoint: ${res.status} ${JSON.stringify(body)}`);
const token = body.access_token;
const cnf = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).cnf;
console.log(
  'token_type',
  body.token_type,
  'cnf.jkt',
  cnf.jkt,
  cnf.jkt === (await calculateJwkThumbprint(jwk)),
);

const resource = `${base}/protected-resource`;
const ok = await withProof(resource, { headers: { authorization: `DPoP ${token}` } }, token);
console.log('GET /protected-resource with DPoP →', ok.status, await ok.text());

// A thief holding only the token: as a Bearer token it is refused.
const stolen = await fetch(resource, { headers: { authorization: `Bearer ${token}` } });
console.log('the same token as Bearer →', stolen.status, (await stolen.json()).code);
