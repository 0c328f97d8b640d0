// The console's colours meet WCAG 2.x AA contrast (4.5:1 for text) in light and dark mode.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(resolve(import.meta.dirname, '../../console/src/styles.css'), 'utf8');

/** The `--name: #rrggbb` variables of the first block after `marker`. */
function palette(marker: string): Record<string, string> {
  const start = css.indexOf(marker);
  expect(start, marker).toBeGreaterThan(-1);
  const block = css.slice(css.indexOf('{', css.indexOf(':root', start)), css.indexOf('}', start));
  return Object.fromEntries(
    [...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]),
  );
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

// Text colour on background pairs the styles use.
const PAIRS: [string, string][] = [
  ['fg', 'bg'],
  ['fg', 'panel'],
  ['muted', 'bg'],
  ['muted', 'panel'],
  ['accent', 'bg'],
  ['accent', 'panel'],
  ['accent-fg', 'accent'],
  ['ok', 'bg'],
  ['ok', 'panel'],
  ['bad', 'bg'],
  ['bad', 'panel'],
  ['warn', 'bg'],
  ['warn', 'panel'],
  ['fg', 'mark'],
];

describe('console colour contrast', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const [mode, marker] of [
    ['light', ':root {'],
    ['dark', '@media (prefers-color-scheme: dark)'],
  ] as const) {
    it(`meets 4.5:1 for every text colour in ${mode} mode`, () => {
      const p = palette(marker);
      const ratios = PAIRS.map(([fg, bg]) => {
        expect(p[fg], `--${fg}`).toBeDefined();
        expect(p[bg], `--${bg}`).toBeDefined();
        return { pair: `${fg} on ${bg}`, ratio: Math.round(contrast(p[fg]!, p[bg]!) * 100) / 100 };
      });
      expect(ratios.length).toBe(PAIRS.length);
      expect(ratios.filter((x) => x.ratio < 4.5)).toEqual([]);
    });
  }
});
