// Hot deploy, minors replacing each other, majors side by side, rollback, undeploy, refusals, start-up refusal.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';
import { PipelineInvalidError } from '../../src/core/loader/index.js';
import { startGateway } from '../../src/gateway/index.js';
import { echoPipeline, eventually, pipelineDir, startHarness } from './harness.js';
import type { Harness } from './harness.js';

function versioned(version: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'orders',
    version,
    trigger: { type: 'rest', routes: ['/list'], ...extra },
    steps: [{ type: 'json-generator', json: { version } }],
  });
}

function cli(cwd: string): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd },
    out,
    err,
  };
}

describe('deployments', () => {
  let h: Harness;
  const version = async (major = 1): Promise<unknown> => {
    const res = await h.fetch(`/pipeline/local/v${major}/orders`);
    return res.status === 200 ? ((await res.json()) as { version: string }).version : res.status;
  };
  const deploy = async (
    name: string,
    text: string,
  ): Promise<{ code: number; out: string; err: string }> => {
    const file = join(h.root, name);
    await writeFile(file, text);
    const c = cli(h.root);
    const code = await main(['deploy', file, '--data-dir', h.dataDir, '--json'], c.io);
    return { code, out: c.out.join(''), err: c.err.join('') };
  };

  beforeAll(async () => {
    h = await startHarness({
      'orders.json': versioned('1.0'),
      'other.json': echoPipeline('other', { routes: ['/taken'] }),
    });
  });
  afterAll(async () => h?.close());

  it('serves a new minor deployed by the CLI without a restart, and rolls back', async () => {
    expect(await version()).toBe('1.0');
    const r = await deploy('orders-1.1.json', versioned('1.1'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      environment: 'test',
      deployed: [{ name: 'orders', version: '1.1', replaced: '1.0' }],
    });
    await eventually(async () => expect(await version()).toBe('1.1'));
    const c = cli(h.root);
    expect(await main(['rollback', 'orders', '--major', '1', '--data-dir', h.dataDir], c.io)).toBe(
      0,
    );
    expect(c.out.join('')).toContain('rolled back orders to 1.0');
    await eventually(async () => expect(await version()).toBe('1.0'));
  });

  it('serves majors side by side and undeploys one', async () => {
    expect((await deploy('orders-2.0.json', versioned('2.0'))).code).toBe(0);
    await eventually(async () => expect(await version(2)).toBe('2.0'));
    expect(await version(1)).toBe('1.0');
    const list = cli(h.root);
    expect(await main(['deployments', 'list', '--data-dir', h.dataDir, '--json'], list.io)).toBe(0);
    const doc = JSON.parse(list.out.join('')) as {
      deployments: { name: string; version: string; paths: string[] }[];
    };
    expect(doc.deployments.filter((d) => d.name === 'orders').map((d) => d.version)).toEqual([
      '1.0',
      '2.0',
    ]);
    expect(doc.deployments.find((d) => d.version === '2.0')?.paths).toEqual([
      '/pipeline/local/v2/orders',
      '/pipeline/local/v2/list',
    ]);
    const c = cli(h.root);
    expect(await main(['undeploy', 'orders', '--major', '2', '--data-dir', h.dataDir], c.io)).toBe(
      0,
    );
    await eventually(async () => expect(await version(2)).toBe(404));
    expect(await version(1)).toBe('1.0');
    const again = cli(h.root);
    expect(
      await main(['undeploy', 'orders', '--major', '2', '--data-dir', h.dataDir], again.io),
    ).not.toBe(0);
    expect(again.err.join('')).toContain('ERR_GATEWAY_NOT_DEPLOYED');
  });

  it('refuses an invalid pipeline with the validate output and keeps the old version serving', async () => {
    const bad = JSON.stringify({
      name: 'orders',
      version: '1.2',
      trigger: { type: 'rest' },
      steps: [{ type: 'json-generator', json: '{{ NOSUCHFUNCTION() }}' }],
    });
    const r = await deploy('orders-bad.json', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/orders-bad\.json.*ERR_EXPR/);
    const noTrigger = await deploy(
      'orders-no-trigger.json',
      JSON.stringify({
        name: 'orders',
        version: '1.3',
        steps: [{ type: 'json-generator', json: {} }],
      }),
    );
    expect(noTrigger.err).toContain('ERR_PIPELINE_TRIGGER_REQUIRED');
    expect(await version()).toBe('1.0');
  });

  it('refuses a route conflict naming both pipelines, and keeps both serving', async () => {
    const clash = JSON.stringify({
      name: 'intruder',
      version: '1.0',
      trigger: { type: 'rest', routes: ['/taken'] },
      steps: [{ type: 'json-generator', json: {} }],
    });
    const r = await deploy('intruder.json', clash);
    expect(r.code).toBe(2);
    expect(r.err).toContain('ERR_GATEWAY_ROUTE_CONFLICT');
    expect(r.err).toContain('intruder@1');
    expect(r.err).toContain('other@1');
    const gwErr = await h.gw.deployFile(join(h.root, 'intruder.json')).catch((e: unknown) => e);
    expect(gwErr).toMatchObject({ code: 'ERR_GATEWAY_ROUTE_CONFLICT' });
    expect((await h.fetch('/pipeline/local/v1/taken')).status).toBe(200);
    expect((await h.fetch('/pipeline/local/v1/intruder')).status).toBe(404);
  });

  it('refuses a rollback whose previous routes are now taken by another pipeline', async () => {
    const mk = (name: string, version: string, route: string): string =>
      JSON.stringify({
        name,
        version,
        trigger: { type: 'rest', routes: [route], removePrefix: true },
        steps: [{ type: 'json-generator', json: { name, version } }],
      });
    expect((await deploy('mover-1.0.json', mk('mover', '1.0', '/spot-a'))).code).toBe(0);
    expect((await deploy('mover-1.1.json', mk('mover', '1.1', '/spot-b'))).code).toBe(0);
    expect((await deploy('squatter.json', mk('squatter', '1.0', '/spot-a'))).code).toBe(0);
    const c = cli(h.root);
    expect(await main(['rollback', 'mover', '--major', '1', '--data-dir', h.dataDir], c.io)).toBe(
      2,
    );
    expect(c.err.join('')).toContain('ERR_GATEWAY_ROUTE_CONFLICT');
    await eventually(async () =>
      expect(await (await h.fetch('/spot-a')).json()).toEqual({ name: 'squatter', version: '1.0' }),
    );
    expect(await (await h.fetch('/spot-b')).json()).toEqual({ name: 'mover', version: '1.1' });
  });

  it('refuses to start with an invalid pipeline, printing the validate output', async () => {
    const { root, dir } = await pipelineDir({
      'ok.json': echoPipeline('fine'),
      'bad.yaml': 'name: Bad Name\nversion: "1.0"\nsteps: []\n',
    });
    const err = await startGateway({
      dirs: [dir],
      port: 0,
      dataDir: join(root, 'data'),
      env: {},
      logger: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineInvalidError);
    const issues = (err as PipelineInvalidError).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.file.endsWith('bad.yaml'))).toBe(true);
    const c = cli(root);
    expect(await main(['serve', dir, '--port', '0', '--data-dir', join(root, 'data')], c.io)).toBe(
      2,
    );
    expect(c.err.join('')).toMatch(/bad\.yaml:\d+:\d+ ERR_/);
    const validate = cli(root);
    await main(['validate', '--deploy', join(dir, 'bad.yaml')], validate.io);
    expect(c.err.join('')).toContain(validate.err.join('').split('\n')[0]!);
  });
});
