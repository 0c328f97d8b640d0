// A throw-away test PKI made with the openssl CLI at test time: a CA, a server certificate for 127.0.0.1, a client certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEMs of the test PKI (TEST ONLY: generated per run, never trusted anywhere else). */
export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by another CA (must be refused by the server). */
  strangerCert: string;
  strangerKey: string;
}

/** Generates the PKI (EC P-256 keys, one-day validity). */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'pipegate-pki-'));
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const file = (name: string): string => readFileSync(join(dir, name), 'utf8');
  try {
    const key = (name: string): void => ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name);
    const ca = (name: string, cn: string): void => {
      key(`${name}.key`);
      ssl('req', '-x509', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-days', '1', '-out', `${name}.crt`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    };
    const leaf = (name: string, cn: string, caName: string, ext: string): void => {
      key(`${name}.key`);
      ssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
      writeFileSync(join(dir, `${name}.ext`), ext);
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
    };
    ca('ca', 'Pipegate Test CA');
    ca('other-ca', 'Stranger CA');
    leaf('server', 'localhost', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    leaf('client', 'pipegate-client', 'ca', 'extendedKeyUsage=clientAuth\n');
    leaf('stranger', 'stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
    return {
      caCert: file('ca.crt'),
      serverCert: file('server.crt'),
      serverKey: file('server.key'),
      clientCert: file('client.crt'),
      clientKey: file('client.key'),
      strangerCert: file('stranger.crt'),
      strangerKey: file('stranger.key'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
