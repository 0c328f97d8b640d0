// A DPoP client (RFC 9449) for the gateway of `npm start`: gets a DPoP-bound token at /oauth2/token
// and calls /protected-resource with a fresh proof. Usage: APIKEY=… node examples/oauth/dpop-client.js
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';

const base = process.env.PIPEGATE_URL ?? 'http://127.0.0.1:8080';
const apikey = process.env.APIKEY;
if (!apikey) throw new Error('set APIKEY to the API key printed by npm start');

// The client's key pair: the private key never leaves the client.
const { privateKey, publicKey } = await generateKeyPair('ES256');
const jwk = await exportJWK(publicKey);

/** One proof for one request (RFC 9449 §4.2): method, URL without query, and the token hash. */
function proof(htm, url, token) {
  const claims = { jti: randomUUID(), htm, htu: url, iat: Math.floor(Date.now() / 1000) };
  if (token) claims.ath = createHash('sha256').update(token).digest('base64url');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .sign(privateKey);
}

const tokenUrl = `${base}/oauth2/token`;
const res = await fetch(tokenUrl, {
  method: 'POST',
  headers: {
    apikey,
    'content-type': 'application/x-www-form-urlencoded',
    dpop: await proof('POST', tokenUrl),
  },
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
const ok = await fetch(resource, {
  headers: { authorization: `DPoP ${token}`, dpop: await proof('GET', resource, token) },
});
console.log('GET /protected-resource with DPoP →', ok.status, await ok.text());

// A thief holding only the token: as a Bearer token it is refused.
const stolen = await fetch(resource, { headers: { authorization: `Bearer ${token}` } });
console.log('the same token as Bearer →', stolen.status, (await stolen.json()).code);
