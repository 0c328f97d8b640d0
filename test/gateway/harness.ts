// Test harness: a gateway on a loopback port with a temporary embedded store and captured logs.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startGateway } from '../../src/gateway/index.js';
import type { Gateway, GatewayOptions } from '../../src/gateway/index.js';
import { loadMasterKey } from '../../src/security/index.js';
import type { ConsumerTarget } from '../../src/consumers/consumer-admin.js';
import { createConsumer } from '../../src/consumers/consumer-admin.js';
import { sleepProbe, testRegistry as createTestRegistry } from '../support/test-connectors.js';

/** A started gateway plus what tests inspect. */
export interface Harness {
  gw: Gateway;
  root: string;
  dir: string;
  dataDir: string;
  logs: string[];
  consumers: ConsumerTarget;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Fetches from the admin listener (/admin/*, /metrics). */
  adminFetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Creates a temp folder with the given pipeline files. */
export async function pipelineDir(
  files: Record<string, string>,
): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'pg-gw-'));
  const dir = join(root, 'pipelines');
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return { root, dir };
}

/** Starts a gateway serving `files`; `opts` override the defaults. */
export async function startHarness(
  files: Record<string, string>,
  opts: GatewayOptions = {},
): Promise<Harness> {
  const { root, dir } = await pipelineDir(files);
  const dataDir = join(root, 'data');
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const gw = await startGateway({
    dirs: [dir],
    port: 0,
    dataDir,
    env: {},
    logger: { level: 'info', stream },
    pollIntervalMs: 50,
    registry: testRegistry,
    ...opts,
  });
  const master = await loadMasterKey({ env: opts.env ?? {}, dataDir, create: false });
  return {
    gw,
    root,
    dir,
    dataDir,
    logs,
    consumers: { store: gw.store, master, environment: gw.environment },
    fetch: (path, init) => fetch(gw.url + path, init),
    adminFetch: (path, init) => fetch(`${gw.adminUrl}${path}`, init),
    async close() {
      await gw.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A minimal rest pipeline echoing its input message. */
export function echoPipeline(
  name: string,
  trigger: Record<string, unknown> = {},
  version = '1.0',
): string {
  return JSON.stringify({
    name,
    version,
    trigger: { type: 'rest', ...trigger },
    steps: [{ type: 'transformer-jsonata', expression: '$' }],
  });
}

/** The built-in connectors plus `test-sleep` and `test-crash` (test/support). */
export const testRegistry = createTestRegistry();
export { sleepProbe };

/** Waits until `check` passes (polling; bounded so a broken feature fails instead of hanging). */
export async function eventually(check: () => Promise<void>, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Creates a consumer with the given options; returns its first API key. */
export async function consumer(
  h: Harness,
  name: string,
  opts: { pipelines?: string[]; scopes?: string[] | null } = {},
): Promise<string> {
  const r = await createConsumer(h.consumers, {
    name,
    pipelines: opts.pipelines ?? ['*'],
    scopes: opts.scopes ?? null,
  });
  return r.apiKey;
}
