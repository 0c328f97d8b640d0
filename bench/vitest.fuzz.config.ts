// Runner configuration of `npm run fuzz` (bench/fuzz.ts): FUZZ_JOBS copies of the fuzz run (default 2,
// one per core) in parallel worker processes, each with its own seed and share of the inputs, like
// libFuzzer's -jobs; a reporter adds their counts up per target at the end.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const JOBS = Math.max(1, Number(process.env['FUZZ_JOBS'] ?? 2));
const OUT = mkdtempSync(join(tmpdir(), 'pipegate-fuzz-'));

/** One job's figures for one target (written by bench/fuzz.ts). */
interface JobRow {
  target: string;
  job: number;
  seed: number;
  runs: number;
  ms: number;
  maxMs: number;
  interrupted: boolean;
}

function summary(): void {
  const rows: JobRow[] = readdirSync(OUT)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(OUT, f), 'utf8')) as JobRow[]);
  const byTarget = new Map<string, JobRow[]>();
  for (const r of rows) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
  const lines = [...byTarget].map(([target, rs]) => {
    const runs = rs.reduce((a, r) => a + r.runs, 0);
    const ms = Math.max(...rs.map((r) => r.ms));
    const maxMs = Math.max(...rs.map((r) => r.maxMs));
    const stopped = rs.some((r) => r.interrupted) ? 'time budget' : 'all runs';
    return `| ${target} | ${runs.toLocaleString('en')} | ${(ms / 1000).toFixed(0)} s | ${Math.round(runs / (ms / 1000)).toLocaleString('en')}/s | ${maxMs.toFixed(0)} ms | ${stopped} | 0 |`;
  });
  const seeds = [...new Set(rows.map((r) => r.seed))].join(', ');
  process.stdout.write(
    `\nfuzz totals (${JOBS} jobs, seeds ${seeds})\n| Target | Inputs | Time | Rate | Slowest input | Stopped by | Violations |\n|---|---|---|---|---|---|---|\n${lines.join('\n')}\n`,
  );
}

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: JOBS,
    hookTimeout: 120_000,
    reporters: ['default', { onTestRunEnd: summary }],
    projects: Array.from({ length: JOBS }, (_, job) => ({
      extends: true,
      test: {
        name: `fuzz-job-${job}`,
        include: ['bench/fuzz.ts'],
        env: { FUZZ_JOB: String(job), FUZZ_JOBS: String(JOBS), FUZZ_OUT_DIR: OUT },
      },
    })),
  },
});
