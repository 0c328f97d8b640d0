// Shared fixtures of the token tests: a real SQLite store in a temp dir, a master key, a token service with a frozen clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { SecretBox, parseMasterKey } from '../../src/security/index.js';
import {
  createTokenService,
  createUsageRecorder,
} from '../../src/security/tokens/token-service.js';
import type { TokenService, TokenServiceOptions } from '../../src/security/tokens/token-service.js';
import type { UsageRecorderWithStats } from '../../src/security/tokens/usage-recorder.js';

export const MASTER_KEY_TEXT = Buffer.alloc(32, 7).toString('base64url');
export const ISSUER = 'http://127.0.0.1/realms/local';

/** A mutable clock starting at a fixed instant. */
export function makeClock(start = Date.UTC(2026, 0, 1, 12, 0, 0)): {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
} {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) };
}

export interface Fixture {
  dir: string;
  store: Store;
  box: SecretBox;
  clock: ReturnType<typeof makeClock>;
  usage: UsageRecorderWithStats;
  tokens: TokenService;
  service(opts?: Partial<TokenServiceOptions>): Promise<TokenService>;
  close(): Promise<void>;
}

/** A fresh store file with a consumer `alice` (ceiling read, write) and `bob` (no ceiling). */
export async function makeFixture(opts: Partial<TokenServiceOptions> = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-tokens-'));
  const clock = makeClock();
  const store = await openStore(`sqlite:${join(dir, 'pipegate.db')}`);
  const box = new SecretBox(parseMasterKey(MASTER_KEY_TEXT, 'test'));
  await store.consumers.create('test', { name: 'alice', scopes: ['read', 'write'] });
  await store.consumers.create('test', { name: 'bob' });
  const usage = createUsageRecorder(store, 'test', { flushIntervalMs: 50 });
  const services: TokenService[] = [];
  const service = async (o: Partial<TokenServiceOptions> = {}): Promise<TokenService> => {
    const s = await createTokenService({
      store,
      box,
      realm: 'local',
      environment: 'test',
      issuer: ISSUER,
      now: clock.now,
      usage,
      refreshIntervalMs: 0,
      ...opts,
      ...o,
    });
    services.push(s);
    return s;
  };
  const tokens = await service();
  return {
    dir,
    store,
    box,
    clock,
    usage,
    tokens,
    service,
    async close() {
      for (const s of services) await s.close();
      await usage.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A minimal issue request. */
export function issueReq(
  over: Partial<Parameters<TokenService['issue']>[0]> = {},
): Parameters<TokenService['issue']>[0] {
  return {
    consumer: 'alice',
    claims: { userID: 42, role: 'admin' },
    scopes: ['read'],
    pipeline: 'auth-login',
    executionKey: 'exec-1',
    sensitiveFields: [],
    ...over,
  };
}
