// `npm run fuzz`: 100,000 generated inputs per target (issue 10 "Fuzzing"), bounded in count and in time per target.
// Environment: FUZZ_RUNS per target (default 100000, shared among the jobs), FUZZ_BUDGET_S per target
// (default 1800: a safety stop; the count is the goal), FUZZ_SEED (default: random, printed; job j uses seed + j), FUZZ_TARGETS
// (comma-separated name parts, e.g. `http,jolt`; default all), FUZZ_JOBS (parallel jobs, default 2:
// see bench/vitest.fuzz.config.ts). A violation fails the run with the shrunk input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import {
  doubleBracesTarget,
  httpTarget,
  joltTarget,
  loaderTarget,
  runTarget,
  startHttpFixture,
  tokenTarget,
} from '../test/fuzz/targets.js';
import type { FuzzTarget, HttpFixture } from '../test/fuzz/targets.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 100_000);
const BUDGET_MS = Number(process.env['FUZZ_BUDGET_S'] ?? 1800) * 1000;
const BASE_SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 30));
const JOB = Number(process.env['FUZZ_JOB'] ?? 0);
const JOBS = Number(process.env['FUZZ_JOBS'] ?? 1);
const SEED = BASE_SEED + JOB;
/** This job's share of the inputs. */
const JOB_RUNS = Math.floor(RUNS / JOBS) + (JOB < RUNS % JOBS ? 1 : 0);

const TARGETS: [string, (fx: HttpFixture) => FuzzTarget][] = [
  ['http', (fx) => httpTarget(fx) as FuzzTarget],
  ['token', (fx) => tokenTarget(fx) as FuzzTarget],
  ['loader', () => loaderTarget() as FuzzTarget],
  ['braces', () => doubleBracesTarget() as FuzzTarget],
  ['jolt', () => joltTarget() as FuzzTarget],
];

function selected(key: string, name: string): boolean {
  const only = process.env['FUZZ_TARGETS']?.toLowerCase();
  return !only || only.split(',').some((o) => key.includes(o) || name.toLowerCase().includes(o));
}

it(
  'fuzz every target',
  async () => {
    const needsFixture = TARGETS.slice(0, 2).some(([key]) => selected(key, key));
    const fx = needsFixture ? await startHttpFixture() : (undefined as unknown as HttpFixture);
    const rows: object[] = [];
    try {
      for (const [key, make] of TARGETS) {
        if (!selected(key, key)) continue;
        const target = make(fx);
        const r = await runTarget(target, { runs: JOB_RUNS, seed: SEED, budgetMs: BUDGET_MS });
        rows.push({ target: target.name, job: JOB, seed: SEED, ...r });
        process.stdout.write(
          `job ${JOB} seed ${SEED} | ${target.name} | ${r.runs} inputs | ${(r.ms / 1000).toFixed(0)} s | slowest ${r.maxMs.toFixed(0)} ms | ${r.interrupted ? 'time budget reached' : 'all runs'}\n`,
        );
      }
    } finally {
      await fx?.close();
      const dir = process.env['FUZZ_OUT_DIR'];
      if (dir) writeFileSync(join(dir, `job-${JOB}.json`), JSON.stringify(rows));
    }
  },
  24 * 3_600_000,
);
