// The suite passes in a clone anywhere: no source, test or benchmark file reaches outside the repository.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = join(dir, e.name);
    if (e.isDirectory()) return rel === join('test', 'fixtures') ? [] : files(rel);
    return /\.(ts|js|mjs|py|sh)$/.test(e.name) || !e.name.includes('.') ? [rel] : [];
  });
}

describe('self-contained repository', () => {
  it('no file of src/, test/, bench/ or .ci/ names a folder beside the checkout', () => {
    const offenders = ['src', 'test', 'bench', '.ci']
      .flatMap((d) => files(d))
      .filter((f) => f !== relative(repoRoot, import.meta.filename))
      .filter((f) =>
        /\.\.\/shared\b|\/work\/shared|\/work\/wt\//.test(readFileSync(join(repoRoot, f), 'utf8')),
      );
    expect(offenders).toEqual([]);
  });

  it('CI runs npm ci && npm test in a clone of the checkout inside a fresh temporary folder', () => {
    const script = readFileSync(join(repoRoot, '.ci/run'), 'utf8');
    const at = (needle: string): number => {
      const i = script.indexOf(needle);
      expect(i, needle).toBeGreaterThan(-1);
      return i;
    };
    const order = [
      at('parent="$(mktemp -d)"'),
      at('git clone --quiet --no-checkout "$repo" "$parent/pipegate"'),
      at('checkout --quiet --detach "$commit"'),
      at('cd "$parent/pipegate"'),
      at('npm ci\n'),
      at('npm test\n'),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Nothing runs the suite in place.
    expect(script.slice(0, order[3])).not.toMatch(/^npm (ci|test)/m);
  });

  it('the conformance fixtures are in the repository, with their origin noted', () => {
    const readme = readFileSync(join(repoRoot, 'test/fixtures/README.md'), 'utf8');
    for (const folder of [
      'conformance/jolt/',
      'conformance/jose/cookbook/',
      'conformance/jose/wycheproof/',
    ]) {
      expect(readme).toContain(`\`${folder}\``);
    }
    expect(readdirSync(join(repoRoot, 'test/fixtures/conformance/jolt'))).toContain('index.json');
  });
});
