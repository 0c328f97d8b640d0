// Runner configuration of `npm run fuzz` (bench/fuzz.ts): one long test, output shown as it comes.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['bench/fuzz.ts'],
    pool: 'forks',
    hookTimeout: 120_000,
  },
});
