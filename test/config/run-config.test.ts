// `pipegate run` reads pipegate.yaml: realm, environment, the token policy and the issuer of a server started from the same file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

describe('pipegate run with pipegate.yaml', () => {
  it('mints with the configured policy, realm and issuer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-run-config-'));
    writeFileSync(
      join(dir, 'pipegate.yaml'),
      'realm: acme\nenvironment: staging\npublicUrl: https://api.acme.example\ntokenPolicy:\n  defaultLifetimeMs: 60000\n  signingAlgorithm: EdDSA\n',
    );
    writeFileSync(
      join(dir, 'mint.yaml'),
      'name: mint\nversion: "1.0"\nsteps:\n  - type: json-generator\n    json: { env: "{{ metadata.runtime.environment }}" }\n  - type: jwt\n    tokenIn: body\n',
    );
    let stdout = '';
    const code = await main(['run', join(dir, 'mint.yaml')], { stdout: (t) => void (stdout += t), stderr: () => undefined, env: {}, cwd: dir });
    expect(code).toBe(0);
    const token = JSON.parse(stdout).access_token as string;
    const c = decodeJwt(token);
    expect(c.exp! - c.iat!).toBe(60);
    expect(c).toMatchObject({ env: 'staging', iss: 'https://api.acme.example/realms/acme', aud: 'acme:staging' });
    expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
  });
});
