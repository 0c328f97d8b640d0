// `pipegate keys` and `pipegate tokens` against a data directory, seen by a token service sharing the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keysCommand } from '../../src/cli/commands/keys.js';
import { tokensCommand, parseInstant, parseSince } from '../../src/cli/commands/tokens.js';
import type { Command } from '../../src/cli/command.js';
import { isPlatformError } from '../../src/errors/index.js';
import { loadMasterKey, SecretBox, verifyMasterKey } from '../../src/security/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import {
  createTokenService,
  createUsageRecorder,
} from '../../src/security/tokens/token-service.js';
import type { TokenService, UsageRecorder } from '../../src/security/tokens/token-service.js';

let dir: string;
let store: Store;
let tokens: TokenService;
let usage: UsageRecorder;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pg-cli-'));
  store = await openStore(`sqlite:${join(dir, 'pipegate.db')}`);
  const master = await loadMasterKey({ env: {}, dataDir: dir, create: true });
  await verifyMasterKey(store.meta, master);
  await store.consumers.create('test', { name: 'alice' });
  usage = createUsageRecorder(store, 'test');
  tokens = await createTokenService({
    store,
    box: new SecretBox(master),
    realm: 'local',
    environment: 'test',
    issuer: 'http://x/realms/local',
    usage,
    refreshIntervalMs: 0,
  });
});
afterEach(async () => {
  await tokens.close();
  await usage.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(cmd: Command, args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await cmd.run([...args, '--data-dir', dir], {
    cwd: dir,
    env: {},
    stdout: (t) => void (out += t),
    stderr: () => undefined,
  });
  return { code, out };
}

const issue = () =>
  tokens.issue({
    consumer: 'alice',
    claims: {},
    scopes: [],
    pipeline: 'login',
    executionKey: 'e1',
    sensitiveFields: [],
  });

describe('pipegate keys', () => {
  it('lists without secrets and rotates with a retiring period; the server follows after refresh', async () => {
    const before = await issue();
    const listed = JSON.parse((await cli(keysCommand, ['list', '--json'])).out) as {
      keys: { kid: string; state: string }[];
    };
    expect(listed.keys).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toMatch(/"d"|privateKey/);
    const rotated = await cli(keysCommand, ['rotate', '--json', '--alg', 'EdDSA']);
    expect(rotated.code).toBe(0);
    const r = JSON.parse(rotated.out) as {
      active: { kid: string; alg: string };
      retiring: { kid: string; state: string };
    };
    expect(r.active.alg).toBe('EdDSA');
    expect(r.retiring).toMatchObject({ kid: listed.keys[0]!.kid, state: 'retiring' });
    await tokens.refresh();
    const after = await issue();
    expect(
      JSON.parse(Buffer.from(after.token.split('.')[0]!, 'base64url').toString()),
    ).toMatchObject({ alg: 'EdDSA', kid: r.active.kid });
    expect((await tokens.verify(before.token)).ok).toBe(true);
    expect((await tokens.jwks()).keys).toHaveLength(2);
    const text = await cli(keysCommand, ['list']);
    expect(text.out).toContain('retiring');
  });

  it('refuses an unknown algorithm with a code', async () => {
    const err = await cli(keysCommand, ['rotate', '--alg', 'none']).catch((e: unknown) => e);
    expect(isPlatformError(err) && err.code).toBe('ERR_JWT_ALGORITHM');
  });
});

describe('pipegate tokens', () => {
  it('revoke --jti reaches a running service at its next refresh; usage lists the issuance', async () => {
    const t = await issue();
    await usage.flush();
    expect((await cli(tokensCommand, ['revoke', '--jti', t.jti])).code).toBe(0);
    await tokens.refresh();
    expect(await tokens.verify(t.token)).toMatchObject({ ok: false, reason: 'revoked' });
    const [row] = await store.revocations.list('test', { kind: 'jti' });
    expect(row!.expiresAt).toBe(t.exp * 1000);
    const u = JSON.parse((await cli(tokensCommand, ['usage', '--jti', t.jti, '--json'])).out) as {
      events: { kind: string }[];
    };
    expect(u.events.map((e) => e.kind)).toEqual(['issued']);
    expect((await cli(tokensCommand, ['usage', '--consumer', 'alice'])).out).toContain('issued');
  });

  it('revoke --consumer and --before', async () => {
    const t = await issue();
    await cli(tokensCommand, ['revoke', '--consumer', 'alice']);
    await tokens.refresh();
    expect(await tokens.verify(t.token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(
      (await cli(tokensCommand, ['revoke', '--before', '2030-01-01T00:00:00Z', '--json'])).code,
    ).toBe(0);
    const err = await cli(tokensCommand, ['revoke', '--before', 'yesterday']).catch(
      (e: unknown) => e,
    );
    expect(isPlatformError(err) && err.code).toBe('ERR_JWT_REVOKE_TARGET');
    const none = await cli(tokensCommand, ['revoke']).catch((e: unknown) => e);
    expect(isPlatformError(none) && none.code).toBe('ERR_JWT_REVOKE_TARGET');
  });

  it('parses instants and durations', () => {
    expect(parseInstant('1700000000')).toBe(1_700_000_000_000);
    expect(parseInstant('1700000000000')).toBe(1_700_000_000_000);
    expect(parseInstant('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(parseInstant('soon')).toBeNull();
    expect(parseSince('15m', 1_000_000)).toBe(100_000);
  });
});
