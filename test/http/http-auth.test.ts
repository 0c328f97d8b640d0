// http-request authentication from accounts: Basic, bearer, API key, custom header, OAuth 2.0 client credentials, mTLS.
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedOAuthTokens } from '../../src/connectors/http-request/oauth-token-cache.js';
import type { AccountValue } from '../../src/core/account-types.js';
import type { JsonObject } from '../../src/core/json.js';
import { createOutboundHttp } from '../../src/http-client/index.js';
import { EgressPolicy } from '../../src/security/egress/index.js';
import { json, startUpstream, type Upstream } from '../support/upstream.js';
import { makeTestPki, type TestPki } from '../support/test-pki.js';
import { out, runHttpStep } from './run-http-step.js';

const http = createOutboundHttp({ policy: new EgressPolicy(['127.0.0.1']) });
let api: Upstream;
let tokenEndpoint: Upstream;
/** Tokens the API accepts; the token endpoint adds each one it issues. */
const validTokens = new Set<string>();
let issued = 0;
let tokenLifetime = 3600;

beforeAll(async () => {
  api = await startUpstream((req, res) => {
    const auth = req.headers.authorization ?? '';
    if (req.url === '/always-401') return json(res, 401, { error: 'invalid_token' });
    if (req.url?.startsWith('/oauth-protected')) {
      if (!validTokens.has(auth.replace(/^Bearer /, ''))) return json(res, 401, { error: 'invalid_token' });
      return json(res, 200, { ok: true, token: auth });
    }
    return json(res, 200, { authorization: auth || null, apikey: req.headers.apikey ?? null, custom: req.headers['x-partner-key'] ?? null, url: req.url });
  });
  tokenEndpoint = await startUpstream((req, res) => {
    const form = new URLSearchParams(req.body);
    const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    const [id, secret] = basic ? basic.split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
    if (form.get('grant_type') !== 'client_credentials' || id !== 'orders-client' || secret !== 's3cr3t/+=') return json(res, 401, { error: 'invalid_client', error_description: `bad ${secret}` });
    issued += 1;
    const token = `tok-${issued}`;
    validTokens.add(token);
    json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: tokenLifetime, scope: form.get('scope') });
  });
});

afterAll(async () => {
  await http.close();
  await api.close();
  await tokenEndpoint.close();
});

const client = (over: Partial<Extract<AccountValue, { type: 'oauth-client-credentials' }>> = {}): AccountValue => ({
  type: 'oauth-client-credentials',
  tokenUrl: `${tokenEndpoint.url}/token`,
  clientId: 'orders-client',
  clientSecret: 's3cr3t/+=',
  scopes: 'orders:read orders:write',
  ...over,
});

describe('http-request: static credentials', () => {
  it.each<[string, AccountValue, JsonObject]>([
    ['basic', { type: 'basic', username: 'app', password: 'pa:ss' }, { authorization: `Basic ${Buffer.from('app:pa:ss').toString('base64')}` }],
    ['oauth-bearer', { type: 'oauth-bearer', token: 'tkn-123' }, { authorization: 'Bearer tkn-123' }],
    ['api-key (default header apikey)', { type: 'api-key', key: 'key-1' }, { apikey: 'key-1' }],
    ['api-key in the query', { type: 'api-key', key: 'key-2', name: 'api_key', in: 'query' }, { url: '/?api_key=key-2' }],
    ['custom-auth-header', { type: 'custom-auth-header', name: 'X-Partner-Key', value: 'pk-9' }, { custom: 'pk-9' }],
  ])('%s', async (_name, account, expected) => {
    const result = await runHttpStep(http, { url: `${api.url}/`, account: 'creds' }, { accounts: { creds: account } });
    expect(out(result).body).toMatchObject(expected);
  });

  it('refuses an account type it cannot use', async () => {
    const result = await runHttpStep(http, { url: `${api.url}/`, account: 'creds', failOnError: true }, { accounts: { creds: { type: 'secret-key', value: 'k', encoding: 'raw' } } });
    expect(result.error).toMatchObject({ code: 'ERR_HTTP_ACCOUNT_TYPE' });
  });
});

describe('http-request: OAuth 2.0 client credentials', () => {
  it('fetches one token, shares it across executions, and sends it as Bearer', async () => {
    const before = issued;
    const tokenCalls = tokenEndpoint.requests.length;
    const results = await Promise.all([1, 2, 3].map(() => runHttpStep(http, { url: `${api.url}/oauth-protected`, account: 'orders' }, { accounts: { orders: client() } })));
    for (const r of results) expect(out(r)).toMatchObject({ status: 200, body: { ok: true } });
    expect(issued - before).toBe(1);
    const tokenRequest = tokenEndpoint.requests[tokenCalls]!;
    expect(new URLSearchParams(tokenRequest.body).get('scope')).toBe('orders:read orders:write');
    expect(tokenRequest.headers.authorization).toMatch(/^Basic /);
  });

  it('refreshes once after a 401 (token revoked early)', async () => {
    const run = () => runHttpStep(http, { url: `${api.url}/oauth-protected`, account: 'orders' }, { accounts: { orders: client() } });
    await run();
    const before = issued;
    validTokens.clear();
    const result = await run();
    expect(out(result)).toMatchObject({ status: 200, body: { token: `Bearer tok-${before + 1}` } });
    expect(issued - before).toBe(1);
  });

  it('a 401 that persists after the refresh is the answer (no loop)', async () => {
    const before = issued;
    const apiCalls = api.requests.length;
    const result = await runHttpStep(http, { url: `${api.url}/always-401`, account: 'orders' }, { accounts: { orders: client({ scopes: 'no-loop' }) } });
    expect(out(result).status).toBe(401);
    expect(issued - before).toBe(2);
    expect(api.requests.length - apiCalls).toBe(2);
  });

  it('renews the token shortly before it expires (frozen clock)', async () => {
    tokenLifetime = 100; // short lifetime: renewed at 90 %
    let now = Date.UTC(2026, 5, 1);
    const clock = { now: () => now, uuid: () => '00000000-0000-4000-8000-000000000001', random: () => 0.5 };
    const account = client({ scopes: 'renewal' });
    const run = () => runHttpStep(http, { url: `${api.url}/oauth-protected`, account: 'orders' }, { accounts: { orders: account }, clock });
    const before = issued;
    await run();
    now += 85_000;
    await run();
    expect(issued - before).toBe(1);
    now += 6_000; // 91 s: past 90 % of the lifetime
    await run();
    expect(issued - before).toBe(2);
    tokenLifetime = 3600;
  });

  it('client_secret_post sends the credentials in the form', async () => {
    const calls = tokenEndpoint.requests.length;
    const result = await runHttpStep(http, { url: `${api.url}/oauth-protected`, account: 'orders' }, { accounts: { orders: client({ clientAuth: 'post', scopes: 'post' }) } });
    expect(out(result).status).toBe(200);
    const form = new URLSearchParams(tokenEndpoint.requests[calls]!.body);
    expect(form.get('client_id')).toBe('orders-client');
    expect(tokenEndpoint.requests[calls]!.headers.authorization).toBeUndefined();
  });

  it('a refused client is ERR_HTTP_OAUTH_TOKEN without the secret in the message or the record', async () => {
    const result = await runHttpStep(
      http,
      { url: `${api.url}/oauth-protected`, account: 'orders', failOnError: true },
      { accounts: { orders: client({ clientSecret: 'wrong-secret-value', scopes: 'x' }) } },
    );
    expect(result.error?.code).toBe('ERR_HTTP_OAUTH_TOKEN');
    expect(result.error?.message).toBe('OAuth 2.0 token request for account "orders" failed: the token endpoint answered HTTP 401 (invalid_client)');
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value');
  });

  it('shares one token request between concurrent cold executions', async () => {
    const cache = sharedOAuthTokens;
    const before = cache.requests;
    await Promise.all([1, 2, 3, 4].map(() => runHttpStep(http, { url: `${api.url}/oauth-protected`, account: 'orders' }, { accounts: { orders: client({ scopes: 'concurrent' }) } })));
    expect(cache.requests - before).toBe(1);
  });
});

describe('http-request: mTLS', () => {
  let pki: TestPki;
  let tlsApi: Upstream;
  beforeAll(async () => {
    pki = makeTestPki();
    tlsApi = await startUpstream(
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        json(res, 200, { client: peer?.subject?.CN ?? null });
      },
      { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: true },
    );
  });
  afterAll(async () => {
    await tlsApi.close();
  });

  const accounts = (): Record<string, AccountValue> => ({
    'client-id': { type: 'certificate-chain', pem: `${pki.clientCert}\n${pki.clientKey}` },
    'client-cert-only': { type: 'certificate-chain', pem: pki.clientCert },
    'client-key': { type: 'private-key', pem: pki.clientKey },
    stranger: { type: 'certificate-chain', pem: `${pki.strangerCert}\n${pki.strangerKey}` },
    'test-ca': { type: 'certificate-chain', pem: pki.caCert },
    bearer: { type: 'oauth-bearer', token: 't' },
  });

  it('presents the client certificate of a certificate-chain account and trusts the private CA', async () => {
    const result = await runHttpStep(http, { url: `${tlsApi.url}/`, account: 'client-id', caAccount: 'test-ca' }, { accounts: accounts() });
    expect(out(result)).toMatchObject({ status: 200, body: { client: 'pipegate-client' } });
  });

  it('combines mTLS (tlsAccount + tlsKeyAccount) with another auth account', async () => {
    const result = await runHttpStep(
      http,
      { url: `${tlsApi.url}/`, account: 'bearer', tlsAccount: 'client-cert-only', tlsKeyAccount: 'client-key', caAccount: 'test-ca' },
      { accounts: accounts() },
    );
    expect(out(result)).toMatchObject({ status: 200, body: { client: 'pipegate-client' } });
  });

  it('fails with ERR_HTTP_CONNECT without a client certificate, with a stranger one, or without trusting the CA', async () => {
    const none = await runHttpStep(http, { url: `${tlsApi.url}/`, caAccount: 'test-ca', failOnError: true }, { accounts: accounts() });
    expect(none.error?.code).toMatch(/^ERR_HTTP_(CONNECT|NETWORK)$/);
    const stranger = await runHttpStep(http, { url: `${tlsApi.url}/`, account: 'stranger', caAccount: 'test-ca', failOnError: true }, { accounts: accounts() });
    expect(stranger.error?.code).toMatch(/^ERR_HTTP_(CONNECT|NETWORK)$/);
    const untrusted = await runHttpStep(http, { url: `${tlsApi.url}/`, account: 'client-id', failOnError: true }, { accounts: accounts() });
    expect(untrusted.error).toMatchObject({ code: 'ERR_HTTP_CONNECT' });
    expect(untrusted.error?.message).toContain('TLS');
  });

  it('a chain without its key and no tlsKeyAccount is ERR_HTTP_ACCOUNT_TYPE', async () => {
    const result = await runHttpStep(http, { url: `${tlsApi.url}/`, account: 'client-cert-only', failOnError: true }, { accounts: accounts() });
    expect(result.error?.code).toBe('ERR_HTTP_ACCOUNT_TYPE');
  });
});
