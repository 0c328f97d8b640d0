// `pipegate deployments` alone lists the deployments, as its summary says (same as `deployments list`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempFile } from './cli-support.js';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pipegate-deployments-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const PIPELINE = JSON.stringify({
  name: 'orders',
  version: '1.0',
  trigger: { type: 'rest', routes: ['/list'] },
  steps: [{ type: 'json-generator', json: { ok: true } }],
});

describe('deployments', () => {
  it('alone lists, like deployments list; text and JSON', async () => {
    const empty = await cli(['deployments', '--data-dir', dataDir]);
    expect(empty).toMatchObject({ code: 0, stdout: 'no deployments in test\n' });
    expect(
      (await cli(['deploy', tempFile('orders.json', PIPELINE), '--data-dir', dataDir])).code,
    ).toBe(0);
    const bare = await cli(['deployments', '--data-dir', dataDir]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^orders 1\.0 \S+ \/pipeline\/local\/v1\/orders \/pipeline\/local\/v1\/list\n$/);
    expect((await cli(['deployments', 'list', '--data-dir', dataDir])).stdout).toBe(bare.stdout);
    const json = JSON.parse(
      (await cli(['deployments', '--data-dir', dataDir, '--json'])).stdout,
    ) as { deployments: { name: string }[] };
    expect(json.deployments.map((d) => d.name)).toEqual(['orders']);
  });

  it('an unknown sub-command is a usage error', async () => {
    const r = await cli(['deployments', 'lsit', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_CLI_USAGE');
  });
});
