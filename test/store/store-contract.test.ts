// The one Store contract suite, run against SQLite (temp file) and PostgreSQL (a fresh database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { consoleContract } from './contract-console.js';
import { consumerContract } from './contract-consumers.js';
import { keysAndDeploymentsContract } from './contract-keys-deployments.js';
import { monitoringContract } from './contract-monitoring.js';
import { settingsContract } from './contract-settings.js';
import {
  freshEnv,
  postgresTarget,
  sqliteTarget,
  type StoreTarget,
  type TargetFactory,
} from './harness.js';

/*
 * PostgreSQL is not optional: when the server at PIPEGATE_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) is unreachable, the postgres suite fails in beforeAll.
 * .ci/run starts the server before the tests (docs/store.md "Tests").
 */
const targets: [string, TargetFactory][] = [
  ['sqlite', sqliteTarget],
  ['postgres', postgresTarget],
];

for (const [name, factory] of targets) {
  describe(`Store contract: ${name}`, () => {
    let target: StoreTarget | undefined;
    const t = (): StoreTarget => {
      if (!target) throw new Error(`${name} store was not opened`);
      return target;
    };
    beforeAll(async () => {
      target = await factory();
    });
    afterAll(async () => {
      await target?.dispose();
    });

    it('reports its dialect', () => {
      expect(t().store.dialect).toBe(name);
    });

    consumerContract(t);
    keysAndDeploymentsContract(t);
    monitoringContract(t);
    settingsContract(t);
    consoleContract(t);

    it('keeps exactly one active deployment and key under concurrent writers', async () => {
      const { store } = t();
      const env = freshEnv();
      const deploys = await Promise.allSettled(
        [1, 2, 3, 4].map((minor) =>
          store.deployments.deploy(env, {
            name: 'race',
            major: 1,
            minor,
            definition: 'd',
            format: 'yaml',
          }),
        ),
      );
      for (const r of deploys)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ERR_STORE_CONFLICT' });
      expect((await store.deployments.listActive(env)).length).toBe(1);
      await store.signingKeys.create(env, {
        kid: 'race0',
        realm: 'local',
        alg: 'ES256',
        publicJwk: null,
        privateKeyEncrypted: 'x',
      });
      const rotations = await Promise.allSettled(
        [1, 2, 3].map((i) =>
          store.signingKeys.rotate(
            env,
            {
              kid: `race${i}`,
              realm: 'local',
              alg: 'ES256',
              publicJwk: null,
              privateKeyEncrypted: 'x',
            },
            { retireAfter: 1 },
          ),
        ),
      );
      expect(rotations.some((r) => r.status === 'fulfilled')).toBe(true);
      for (const r of rotations)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ERR_STORE_CONFLICT' });
      expect((await store.signingKeys.list(env, 'local', { states: ['active'] })).length).toBe(1);
    });

    it('lets a poller on another connection see every change exactly once under concurrent writers', async () => {
      const { store, url } = t();
      const env = freshEnv();
      const [writerA, writerB] = [await openStore(url), await openStore(url)];
      try {
        let seq = await store.changes.latest();
        const seen: number[] = [];
        let writing = true;
        const poller = (async () => {
          // Poll until the writers are done and one more poll found nothing new.
          for (;;) {
            const stillWriting = writing;
            const events = await store.changes.since(seq, { environment: env });
            for (const e of events) seen.push(e.seq);
            seq = events.at(-1)?.seq ?? seq;
            if (!stillWriting && events.length === 0) return;
            // Yield to timers: a real poller runs on an interval.
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        })();
        await Promise.all(
          [writerA, writerB].flatMap((w, wi) =>
            Array.from({ length: 15 }, (_, i) => w.globals.put(env, `g${wi}-${i}`, String(i))),
          ),
        );
        writing = false;
        await poller;
        expect(seen.length).toBe(30);
        expect(new Set(seen).size).toBe(30);
      } finally {
        await writerA.close();
        await writerB.close();
      }
    });

    it('fails with ERR_STORE_CLOSED after close', async () => {
      const other = await factory();
      await other.store.close();
      await expect(other.store.globals.get('x', 'y')).rejects.toMatchObject({
        code: 'ERR_STORE_CLOSED',
        status: 503,
      });
      await other.dispose().catch(() => {});
    });
  });
}
