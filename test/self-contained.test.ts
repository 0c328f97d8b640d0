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
      .filter((f) => /\.\.\/shared\b|\/work\/shared|\/work\/wt\//.test(readFileSync(join(repoRoot, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the conformance fixtures are in the repository, with their origin noted', () => {
    const readme = readFileSync(join(repoRoot, 'test/fixtures/README.md'), 'utf8');
    for (const folder of ['conformance/jolt/', 'conformance/jose/cookbook/', 'conformance/jose/wycheproof/']) {
      expect(readme).toContain(`\`${folder}\``);
    }
    expect(readdirSync(join(repoRoot, 'test/fixtures/conformance/jolt'))).toContain('index.json');
  });
});
