// Layering kept by tests and lint: no import cycles in src/; ESLint's no-restricted-imports keeps the
// layers (eslint.config.js, docs/architecture.md), and every folder of src/ must belong to one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Runtime imports only: `import type` and `export type` vanish at compile time and cannot cycle. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)) {
    out.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  }
  return out;
}

/** Strongly connected components with more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(relative(src, w));
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('architecture', () => {
  it('has no import cycles between modules of src/', () => {
    const graph = new Map(files(src).map((f) => [f, imports(f)]));
    // The reader sees real edges (a multi-line import among them), so an empty answer means something.
    expect(graph.get(join(src, 'cli/main.ts'))).toContain(join(src, 'cli/commands/index.ts'));
    expect(graph.get(join(src, 'gateway/start-gateway.ts'))).toContain(join(src, 'security/tokens/token-service.ts'));
    expect(cycles(new Map([['a', ['b']], ['b', ['a']]]))).toHaveLength(1);
    expect(cycles(graph)).toEqual([]);
  });

  it('places every folder of src/ in exactly one layer of the lint rules', async () => {
    // The lint configuration is plain JavaScript; imported by a computed name so tsc does not type it.
    const config: string = '../eslint.config.js';
    const { LAYERS } = (await import(config)) as { LAYERS: Record<'core' | 'services' | 'edges', string[]> };
    const folders = readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory()).sort();
    const placed = [...LAYERS.core, ...LAYERS.services, ...LAYERS.edges];
    expect(new Set(placed).size).toBe(placed.length);
    expect([...placed].sort()).toEqual(folders);
  });
});
