// Seeded property-based fuzzing (issue 10 "Fuzzing"): a small fixed-seed run of every target; `npm run fuzz` runs 100,000 each.
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  doubleBracesTarget,
  httpTarget,
  joltTarget,
  loaderTarget,
  runTarget,
  startHttpFixture,
  tokenTarget,
} from './targets.js';
import type { HttpFixture } from './targets.js';

const SEED = 20261201;

describe('fuzzing (seeded)', () => {
  let fx: HttpFixture;
  beforeAll(async () => {
    fx = await startHttpFixture();
  });
  afterAll(async () => fx?.close());

  it('HTTP request path: no 5xx, an answer within 1 s', async () => {
    await runTarget(httpTarget(fx), { runs: 300, seed: SEED });
  });
  it('token verifier: never throws, never accepts an altered token', async () => {
    await runTarget(tokenTarget(fx), { runs: 500, seed: SEED });
  });
  it('pipeline loader: loads or refuses with a coded error', async () => {
    await runTarget(loaderTarget(), { runs: 200, seed: SEED });
  });
  it('Double Braces: compiles and evaluates or refuses with a coded error', async () => {
    await runTarget(doubleBracesTarget(), { runs: 1000, seed: SEED });
  });
  it('JOLT: compiles and applies or refuses with a coded error', async () => {
    await runTarget(joltTarget(), { runs: 1000, seed: SEED });
  });
});
