// The server logs each deploy, undeploy and rollback it picks up from the store (made by `pipegate deploy` and friends).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../src/connectors/index.js';
import { main } from '../../src/cli/main.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DeploymentSet } from '../../src/gateway/deployments/deployment-set.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-deployment-set-'));
});
afterEach(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pipegate(...argv: string[]): Promise<void> {
  let err = '';
  const code = await main([...argv, '--data-dir', dir], {
    stdout: () => undefined,
    stderr: (t) => void (err += t),
    env: {},
    cwd: dir,
  });
  expect(code, err).toBe(0);
}

function pipeline(version: string): string {
  const file = join(dir, `orders-${version}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name: 'orders',
      version,
      trigger: { type: 'rest' },
      steps: [{ type: 'json-generator', json: { version } }],
    }),
  );
  return file;
}

describe('DeploymentSet reload log', () => {
  it('names what it loads first, then each deploy, rollback and undeploy it applies', async () => {
    await pipegate('deploy', pipeline('1.0'));
    store = await openStore(`sqlite:${join(dir, 'pipegate.db')}`);
    const lines: [string, Record<string, unknown>][] = [];
    const set = new DeploymentSet(
      { store, environment: 'test', realm: 'local', registry: defaultRegistry },
      (msg) => lines.push(['warn', { msg }]),
      (msg, details) => lines.push([msg, details]),
    );
    await set.reload();
    await pipegate('deploy', pipeline('1.1'));
    await set.reload();
    await pipegate('rollback', 'orders', '--major', '1');
    await set.reload();
    await set.reload(); // nothing changed: nothing logged
    await pipegate('undeploy', 'orders', '--major', '1');
    await set.reload();
    expect(lines.map(([msg, d]) => [msg, d.action, d.pipeline, d.version, d.replaced])).toEqual([
      ['deployment loaded', undefined, 'orders', '1.0', undefined],
      ['deployment applied', 'deploy', 'orders', '1.1', '1.0'],
      ['deployment applied', 'rollback', 'orders', '1.0', '1.1'],
      ['deployment applied', 'undeploy', 'orders', '1.0', undefined],
    ]);
    expect(lines[1]![1].paths).toEqual(['/pipeline/local/v1/orders']);
  });
});
