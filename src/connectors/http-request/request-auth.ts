// Turns the accounts of an http-request step into headers, query parameters, a TLS identity or an OAuth client.
import type { AccountResolver, AccountValue } from '../../core/account-types.js';
import { PlatformError } from '../../errors/index.js';
import type { TlsOptions } from '../../http-client/index.js';

/** What the accounts add to a request. */
export interface RequestAuth {
  headers: Record<string, string>;
  query: [string, string][];
  tls?: TlsOptions;
  /** Client credentials: the bearer token is fetched per attempt from the shared cache. */
  oauth?: { label: string; account: Extract<AccountValue, { type: 'oauth-client-credentials' }> };
  /** Header names carrying credentials, dropped on cross-origin redirects. */
  credentialHeaders: string[];
}

/** Account labels of the step, as rendered parameters. */
export interface AuthLabels {
  account?: string;
  tlsAccount?: string;
  tlsKeyAccount?: string;
  caAccount?: string;
}

function wrongType(label: string, value: AccountValue, use: string, expected: string): PlatformError {
  return new PlatformError('ERR_HTTP_ACCOUNT_TYPE', { label, type: value.type, use, expected });
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Splits a certificate-chain PEM into its certificates and the private key it may hold. */
export function splitChain(pem: string): { certs: string; key?: string } {
  const certs: string[] = [];
  let key: string | undefined;
  for (const m of pem.matchAll(PEM_BLOCK)) {
    if (m[1] === 'CERTIFICATE') certs.push(m[0]);
    else if (m[1]!.endsWith('PRIVATE KEY')) key ??= m[0];
  }
  return { certs: certs.join('\n'), key };
}

async function tlsIdentity(accounts: AccountResolver, labels: AuthLabels, fromMain: AccountValue | undefined): Promise<TlsOptions | undefined> {
  const tls: TlsOptions = {};
  let chainLabel: string | undefined;
  let chain: AccountValue | undefined;
  if (labels.tlsAccount !== undefined) {
    chainLabel = labels.tlsAccount;
    chain = await accounts.resolve(chainLabel);
    if (chain.type !== 'certificate-chain') throw wrongType(chainLabel, chain, 'tlsAccount', 'certificate-chain');
  } else if (fromMain?.type === 'certificate-chain') {
    chainLabel = labels.account;
    chain = fromMain;
  }
  if (chain?.type === 'certificate-chain') {
    const { certs, key } = splitChain(chain.pem);
    tls.cert = certs;
    if (key) tls.key = key;
    if (chain.passphrase) tls.passphrase = chain.passphrase;
  }
  if (labels.tlsKeyAccount !== undefined) {
    const key = await accounts.resolve(labels.tlsKeyAccount);
    if (key.type !== 'private-key') throw wrongType(labels.tlsKeyAccount, key, 'tlsKeyAccount', 'private-key');
    tls.key = key.pem;
    if (key.passphrase) tls.passphrase = key.passphrase;
  }
  if (chain && !tls.key) {
    throw new PlatformError('ERR_HTTP_ACCOUNT_TYPE', { label: chainLabel ?? '', type: 'certificate-chain', use: 'mTLS without a private key', expected: 'a chain that includes its key, or tlsKeyAccount' });
  }
  if (labels.caAccount !== undefined) {
    const ca = await accounts.resolve(labels.caAccount);
    if (ca.type !== 'certificate-chain' && ca.type !== 'public-key') throw wrongType(labels.caAccount, ca, 'caAccount', 'certificate-chain or public-key (CA certificates)');
    tls.ca = splitChain(ca.pem).certs;
  }
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/** Resolves the step's accounts (only when it names any) into request additions. */
export async function resolveAuth(accounts: AccountResolver, labels: AuthLabels): Promise<RequestAuth> {
  const auth: RequestAuth = { headers: {}, query: [], credentialHeaders: [] };
  let main: AccountValue | undefined;
  if (labels.account !== undefined) {
    const label = labels.account;
    main = await accounts.resolve(label);
    switch (main.type) {
      case 'basic':
        auth.headers.authorization = `Basic ${Buffer.from(`${main.username}:${main.password}`).toString('base64')}`;
        break;
      case 'oauth-bearer':
        auth.headers.authorization = `Bearer ${main.token}`;
        break;
      case 'api-key': {
        const name = main.name ?? 'apikey';
        if (main.in === 'query') auth.query.push([name, main.key]);
        else {
          auth.headers[name.toLowerCase()] = main.key;
          auth.credentialHeaders.push(name.toLowerCase());
        }
        break;
      }
      case 'custom-auth-header':
        auth.headers[main.name.toLowerCase()] = main.value;
        auth.credentialHeaders.push(main.name.toLowerCase());
        break;
      case 'oauth-client-credentials':
        auth.oauth = { label, account: main };
        break;
      case 'certificate-chain':
        break;
      default:
        throw wrongType(label, main, 'HTTP authentication', 'basic, oauth-bearer, api-key, custom-auth-header, oauth-client-credentials or certificate-chain');
    }
  }
  const tls = await tlsIdentity(accounts, labels, main);
  if (tls) auth.tls = tls;
  return auth;
}
