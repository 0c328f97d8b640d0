// A clean `npm ci` on the README's Node (20.19) prints no engine warning and runs only approved install scripts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const read = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as Record<string, unknown>;
// npm decides EBADENGINE with semver.satisfies(node, engines.node); semver ships with fastify.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string, opts?: { includePrerelease?: boolean }): boolean;
};

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
}

const pkg = read('package.json') as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};
const lock = read('package-lock.json') as { packages: Record<string, LockEntry> };
const installed = Object.entries(lock.packages).filter(([path]) => path !== '');
const nameOf = (path: string): string =>
  path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('clean install', () => {
  it('promises Node 20.19', () => {
    expect(pkg.engines.node).toBe('>=20.19');
  });

  it('every locked package accepts Node 20.19 and the running Node (no EBADENGINE from npm ci)', () => {
    const bad = installed
      .filter(([, e]) => !Array.isArray(e.engines) && typeof e.engines?.node === 'string')
      .filter(([, e]) => {
        const range = (e.engines as { node: string }).node;
        return ![`20.19.0`, process.versions.node].every((v) =>
          semver.satisfies(v, range, { includePrerelease: true }),
        );
      })
      .map(
        ([path, e]) =>
          `${nameOf(path)}@${e.version} needs node ${(e.engines as { node: string }).node}`,
      );
    expect(bad).toEqual([]);
  });

  it('every package with an install script is declared in allowScripts (npm 11)', () => {
    const allowed = pkg.allowScripts ?? {};
    const pending = installed
      .filter(([, e]) => e.hasInstallScript === true)
      .map(([path, e]) => [nameOf(path), e.version ?? ''] as const)
      .filter(([name, version]) => allowed[name] !== true && allowed[`${name}@${version}`] !== true)
      .map(([name, version]) => `${name}@${version}`);
    expect(pending).toEqual([]);
  });
});
