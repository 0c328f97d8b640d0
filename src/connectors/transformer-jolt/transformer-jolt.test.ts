// transformer-jolt: prepare/run called directly with a minimal fake StepContext.
import { describe, expect, it } from 'vitest';
import type { PrepareContext, StepInput } from '../../core/connector.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { StepContext } from '../../core/step-context.js';
import { PlatformError } from '../../errors/index.js';
import { type JoltPrepared, transformerJolt } from './index.js';

function fakeStepContext(): StepContext {
  // Only what a pure transformer could touch; it reads none of it.
  return {
    executionKey: '00000000-0000-4000-8000-000000000000',
    signal: new AbortController().signal,
    metadata: {},
    stepPath: '/steps/0',
    log: () => undefined,
    mask: (t: string) => t,
  } as unknown as StepContext;
}

interface Reported {
  code: string;
  subPath: string | undefined;
  details: PlatformError['details'];
}

function prepare(params: JsonObject): { prepared: JoltPrepared; reported: Reported[] } {
  const reported: Reported[] = [];
  const ctx: PrepareContext = {
    path: '/steps/0',
    report: (error, subPath) =>
      void reported.push({ code: error.code, subPath, details: error.details }),
  };
  return { prepared: transformerJolt.prepare!(params, ctx), reported };
}

async function run(params: JsonObject, message: JsonValue): Promise<JsonValue> {
  const { prepared, reported } = prepare(params);
  expect(reported).toEqual([]);
  const input = { params, message, prepared, flows: {}, branches: [] } as unknown as StepInput<
    Record<string, JsonValue>,
    JoltPrepared
  >;
  return transformerJolt.run(fakeStepContext(), input);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const loginEnvelope = {
  body: { userID: 'u-17', role: 'admin', password: 's3cret' },
  headers: { 'content-type': 'application/json' },
};
const claimSpec = [{ operation: 'shift', spec: { body: { userID: 'userID', role: 'role' } } }];

describe('transformer-jolt', () => {
  it('extracts the claims of the login envelope without touching the input', async () => {
    const message = deepFreeze(structuredClone(loginEnvelope));
    expect(await run({ spec: claimSpec }, message)).toEqual({ userID: 'u-17', role: 'admin' });
    expect(message).toEqual(loginEnvelope);
  });

  it('accepts a single operation object as spec', async () => {
    expect(
      await run({ spec: { operation: 'default', spec: { a: 1 } } }, deepFreeze({ b: 2 })),
    ).toEqual({ a: 1, b: 2 });
  });

  it('does not mutate the message even for in-place operations', async () => {
    const message = deepFreeze({ list: [null, 1], keep: 'x', drop: 'y' });
    const params: JsonObject = {
      spec: [
        { operation: 'remove', spec: { drop: '' } },
        { operation: 'modify-overwrite-beta', spec: { list: '=squashNulls' } },
      ],
    };
    expect(await run(params, message)).toEqual({ list: [1], keep: 'x' });
    expect(message).toEqual({ list: [null, 1], keep: 'x', drop: 'y' });
  });

  it('outputs {} when the chain produces nothing', async () => {
    expect(await run({ spec: claimSpec }, { other: 1 })).toEqual({});
  });

  it('reports an invalid literal spec at load with the path into the spec', () => {
    const { reported } = prepare({ spec: [{ operation: 'shift', spec: { a: { 'b*&': 'x' } } }] });
    expect(reported).toHaveLength(1);
    expect(reported[0]!.code).toBe('ERR_JOLT_SPEC_INVALID');
    expect(reported[0]!.subPath).toBe('/spec/0/spec/a/b*&');
  });

  it('reports an unknown operation at load', () => {
    const { reported } = prepare({
      spec: [
        { operation: 'shift', spec: { a: 'b' } },
        { operation: 'pants', spec: {} },
      ],
    });
    expect(reported.map((r) => [r.code, r.subPath])).toEqual([
      ['ERR_JOLT_UNKNOWN_OPERATION', '/spec/1/operation'],
    ]);
  });

  it('requires exactly one of spec and specExpression', () => {
    expect(prepare({}).reported.map((r) => r.code)).toEqual(['ERR_JOLT_SPEC_INVALID']);
    expect(
      prepare({ spec: claimSpec, specExpression: '{{ message.spec }}' }).reported,
    ).toHaveLength(1);
  });

  it('compiles a rendered specExpression once and caches it by content', async () => {
    const { prepared } = prepare({ specExpression: '{{ message.spec }}' });
    const step = (spec: JsonValue, message: JsonValue) =>
      transformerJolt.run(fakeStepContext(), {
        params: { specExpression: spec },
        message,
        prepared,
        flows: {},
        branches: [],
      } as never);
    expect(await step(claimSpec, loginEnvelope)).toEqual({ userID: 'u-17', role: 'admin' });
    expect(await step(structuredClone(claimSpec), loginEnvelope)).toEqual({
      userID: 'u-17',
      role: 'admin',
    });
    expect(prepared.cache.compiles).toBe(1);
    // JSON text is parsed keeping key order.
    expect(await step(JSON.stringify(claimSpec), loginEnvelope)).toEqual({
      userID: 'u-17',
      role: 'admin',
    });
    expect(prepared.cache.compiles).toBe(2);
  });

  it('keeps the dynamic spec cache bounded', async () => {
    const { prepared } = prepare({ specExpression: '{{ message.spec }}' });
    for (let i = 0; i < 80; i++)
      prepared.cache.get([{ operation: 'default', spec: { [`k${i}`]: i } }]);
    expect(prepared.cache.size).toBe(64);
  });

  it('fails with a coded error when the expression yields no spec', () => {
    const { prepared } = prepare({ specExpression: '{{ message.spec }}' });
    const bad = (spec: JsonValue) => () =>
      transformerJolt.run(fakeStepContext(), {
        params: { specExpression: spec },
        message: {},
        prepared,
        flows: {},
        branches: [],
      } as never);
    expect(bad('not json')).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_SPEC_EXPRESSION' }) as Error,
    );
    expect(bad(42)).toThrow(expect.objectContaining({ code: 'ERR_JOLT_SPEC_EXPRESSION' }) as Error);
    expect(bad('[{"operation":"shift","spec":{"a":{}}}]')).toThrow(
      expect.objectContaining({ code: 'ERR_JOLT_SPEC_INVALID' }) as Error,
    );
  });

  it('rejects a too deep message with ERR_JOLT_LIMIT', async () => {
    let deep: JsonValue = 'leaf';
    for (let i = 0; i < 400; i++) deep = { d: deep };
    await expect(run({ spec: claimSpec }, deep)).rejects.toMatchObject({ code: 'ERR_JOLT_LIMIT' });
  });

  it('shapes the failOnError:false output', () => {
    const error = new PlatformError('ERR_JOLT_TRANSFORM', { reason: 'boom' });
    expect(transformerJolt.errorOutput!(error)).toEqual({
      success: false,
      message: 'Transformer (JOLT) failed',
      error: 'JOLT transform failed: boom',
      code: 'ERR_JOLT_TRANSFORM',
    });
  });
});
