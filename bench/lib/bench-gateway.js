// A Pipegate gateway for the benchmarks: the given pipeline files in a temporary folder, an embedded
// store whose realm's first signing key has the wanted algorithm (the server creates ES256 only when
// none exists), and a consumer `bench` (scope read) whose API key is returned.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startBenchGateway({
  files,
  alg = 'ES256',
  prefix = 'pg-bench-',
  options = {},
}) {
  const { startGateway } = await import('../../dist/gateway/index.js');
  const { openStore } = await import('../../dist/store/index.js');
  const { loadMasterKey, verifyMasterKey, SecretBox, createSealedSigningKey } =
    await import('../../dist/security/index.js');
  const { createConsumer } = await import('../../dist/consumers/consumer-admin.js');
  const root = await mkdtemp(join(tmpdir(), prefix));
  const dir = join(root, 'pipelines');
  const dataDir = join(root, 'data');
  await mkdir(dir);
  await mkdir(dataDir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const pre = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
  const master = await loadMasterKey({ env: {}, dataDir, create: true });
  await verifyMasterKey(pre.meta, master);
  await pre.signingKeys.create(
    'test',
    await createSealedSigningKey(new SecretBox(master), 'test', 'local', alg),
  );
  await pre.close();
  const gw = await startGateway({
    dirs: [dir],
    port: 0,
    dataDir,
    env: {},
    logger: false,
    ...options,
  });
  const { apiKey } = await createConsumer(
    { store: gw.store, master, environment: 'test' },
    { name: 'bench', pipelines: ['*'], scopes: ['read'] },
  );
  return { gw, master, root, apiKey };
}
