// transformer-jolt spec problems surface at pipeline load, with the line and the path inside the spec.
import { describe, expect, it } from 'vitest';
import { builtInConnectors } from '../index.js';
import { PipelineInvalidError, formatIssue, loadPipelineText } from '../../core/loader/index.js';
import { createRegistry } from '../../core/registry.js';
import { transformerJolt } from './index.js';

const registry = createRegistry([
  ...builtInConnectors.filter((c) => c.type !== transformerJolt.type),
  transformerJolt,
]);

async function issuesOf(steps: string): Promise<string[]> {
  try {
    await loadPipelineText('p.yaml', `name: p\nversion: "1.0"\nsteps:\n${steps}`, { registry });
  } catch (err) {
    if (err instanceof PipelineInvalidError) return err.issues.map(formatIssue);
    throw err;
  }
  return [];
}

describe('transformer-jolt at pipeline load', () => {
  it('loads a valid spec', async () => {
    expect(
      await issuesOf('  - type: transformer-jolt\n    spec:\n      - operation: sort\n'),
    ).toEqual([]);
  });

  it('reports a bad wildcard with the path inside the spec', async () => {
    const issues = await issuesOf(
      '  - type: transformer-jolt\n    spec:\n      - operation: shift\n        spec:\n          a:\n            "b*&": x\n',
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain('ERR_JOLT_SPEC_INVALID');
    expect(issues[0]).toContain('/steps/0/spec/0/spec/a/b*&');
    expect(issues[0]).toMatch(/^p\.yaml:\d+:\d+ /);
  });

  it('reports an unknown operation', async () => {
    const issues = await issuesOf(
      '  - type: transformer-jolt\n    spec:\n      - operation: pants\n        spec: {}\n',
    );
    expect(issues.join('\n')).toContain('ERR_JOLT_UNKNOWN_OPERATION');
    expect(issues.join('\n')).toContain('/steps/0/spec/0/operation');
  });

  it('rejects both spec and specExpression', async () => {
    const issues = await issuesOf(
      '  - type: transformer-jolt\n    spec: { operation: sort }\n    specExpression: "{{ message.x }}"\n',
    );
    expect(issues.length).toBeGreaterThan(0);
  });
});
