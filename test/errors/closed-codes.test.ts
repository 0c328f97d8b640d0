// Error codes are a closed type: a mistyped code fails to compile, and every registered code is raised somewhere.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlatformError, allCodes, isErrorCode } from '../../src/errors/index.js';
import type { PlatformErrorCode } from '../../src/errors/index.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return p.endsWith(join('errors', 'codes')) ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('closed error codes', () => {
  it('rejects unknown codes at compile time and at run time', () => {
    // @ts-expect-error a code that is not in any table is a type error (npm run typecheck fails without this line's directive)
    expect(() => new PlatformError('ERR_NOT_A_CODE')).toThrow(TypeError);
    const code: PlatformErrorCode = 'ERR_CONFIG_VALUE';
    expect(new PlatformError(code, { source: 'x', reason: 'y' }).code).toBe('ERR_CONFIG_VALUE');
    expect(isErrorCode('ERR_CONFIG_VALUE')).toBe(true);
    expect(isErrorCode('ERR_NOPE')).toBe(false);
  });

  it('keeps no code that nothing raises', () => {
    const root = join(import.meta.dirname, '../../src');
    const text = sources(root).map((f) => readFileSync(f, 'utf8')).join('\n');
    // ERR_CONNECTOR_FAILED is raised by user connectors (examples/custom-connector), not by Pipegate itself.
    const unused = allCodes().filter((c) => c !== 'ERR_CONNECTOR_FAILED' && !text.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });
});
