// `pipegate tokens usage` text output: a table with headers and the client IP ("from where"); --json unchanged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokensCommand } from '../../src/cli/commands/tokens.js';
import { loadMasterKey, verifyMasterKey } from '../../src/security/index.js';
import { openStore, type Store } from '../../src/store/index.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-usage-table-'));
  store = await openStore(`sqlite:${join(dir, 'pipegate.db')}`);
  await verifyMasterKey(store.meta, await loadMasterKey({ env: {}, dataDir: dir, create: true }));
  const time = Date.UTC(2026, 0, 1, 12, 0, 0);
  await store.usage.insertBatch('test', [
    {
      time,
      kind: 'issued',
      outcome: 'allowed',
      consumer: 'alice',
      pipeline: 'auth-login',
      jti: 'j-1',
      clientIp: '203.0.113.7',
      executionKey: 'e-1',
      status: 200,
    },
    {
      time: time + 1000,
      kind: 'auth',
      outcome: 'denied',
      reason: 'token_expired',
      consumer: 'alice',
      pipeline: 'orders',
      jti: 'j-1',
      clientIp: '2001:db8::1',
      status: 401,
    },
  ]);
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function usage(args: string[]): Promise<string> {
  let out = '';
  const code = await tokensCommand.run(['usage', ...args, '--data-dir', dir], {
    cwd: dir,
    env: {},
    stdout: (t) => void (out += t),
    stderr: () => undefined,
  });
  expect(code).toBe(0);
  return out;
}

describe('tokens usage', () => {
  it('prints a table with headers, the client IP and aligned columns', async () => {
    const lines = (await usage([])).trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^TIME +KIND +OUTCOME +REASON +CONSUMER +PIPELINE +CLIENT IP +STATUS +JTI +EXECUTION$/,
    );
    expect(lines).toHaveLength(3);
    const ipColumn = lines[0]!.indexOf('CLIENT IP');
    const ips = lines.slice(1).map((l) => l.slice(ipColumn).split(/\s+/)[0]);
    expect(ips.sort()).toEqual(['2001:db8::1', '203.0.113.7']);
    expect(lines.some((l) => /auth +denied +token_expired +alice +orders/.test(l))).toBe(true);
  });

  it('--json is unchanged: { environment, events } with every field', async () => {
    const doc = JSON.parse(await usage(['--json'])) as {
      environment: string;
      events: { clientIp: string; kind: string }[];
    };
    expect(doc.environment).toBe('test');
    expect(doc.events.map((e) => [e.kind, e.clientIp]).sort()).toEqual([
      ['auth', '2001:db8::1'],
      ['issued', '203.0.113.7'],
    ]);
  });
});
