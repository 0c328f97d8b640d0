// `npm run fuzz`: 100,000 generated inputs per target (issue 10 "Fuzzing"), bounded in count and in time per target.
// Environment: FUZZ_RUNS (default 100000), FUZZ_BUDGET_S per target (default 300), FUZZ_SEED (default: random,
// printed), FUZZ_TARGETS (comma-separated name parts, e.g. `http,jolt`; default all).
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
import type { FuzzTarget } from '../test/fuzz/targets.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 100_000);
const BUDGET_MS = Number(process.env['FUZZ_BUDGET_S'] ?? 300) * 1000;
const SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

it(
  'fuzz every target',
  async () => {
    const fx = await startHttpFixture();
    const rows: string[] = [];
    try {
      const targets = [
        httpTarget(fx),
        tokenTarget(fx),
        loaderTarget(),
        doubleBracesTarget(),
        joltTarget(),
      ] as FuzzTarget[];
      const only = process.env['FUZZ_TARGETS']?.toLowerCase();
      for (const target of targets) {
        if (only && !only.split(',').some((o) => target.name.toLowerCase().includes(o))) continue;
        const r = await runTarget(target, { runs: RUNS, seed: SEED, budgetMs: BUDGET_MS });
        const row = `| ${target.name} | ${r.runs.toLocaleString('en')} | ${(r.ms / 1000).toFixed(0)} s | ${Math.round(r.runs / (r.ms / 1000)).toLocaleString('en')}/s | ${r.interrupted ? 'time budget reached' : 'all runs'} | 0 |`;
        rows.push(row);
        process.stdout.write(`${row}\n`);
      }
    } finally {
      await fx.close();
    }
    process.stdout.write(
      `\nseed ${SEED}\n| Target | Inputs | Time | Rate | Stopped by | Violations |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
    );
  },
  24 * 3_600_000,
);
