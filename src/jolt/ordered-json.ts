// An order-preserving JSON parser: objects become Maps in document order (integer-like keys included).
import { PlatformError } from '../errors/index.js';
import { type JoltLimits, type JoltMap, type JoltValue, defaultLimits } from './tree.js';

/**
 * Parses strict JSON text into an engine tree. Unlike JSON.parse, `{"1": a, "0": b}` keeps the key
 * order "1", "0", which matters for JOLT specs whose results depend on spec key order. Depth and
 * size are bounded by `limits`; malformed text is ERR_JOLT_SPEC_EXPRESSION with the offset.
 */
export function parseOrderedJson(text: string, limits: JoltLimits = defaultLimits): JoltValue {
  let pos = 0;
  let nodes = 0;

  const fail = (reason: string): never => {
    throw new PlatformError('ERR_JOLT_SPEC_EXPRESSION', { reason: `${reason} at offset ${pos}` });
  };
  const ws = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const expect = (c: string): void => {
    if (text[pos] !== c) fail(`expected '${c}'`);
    pos++;
  };

  const parseString = (): string => {
    const start = pos;
    expect('"');
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') pos++;
      pos++;
    }
    expect('"');
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('invalid string');
    }
  };

  const parseValue = (depth: number): JoltValue => {
    if (++nodes > limits.maxNodes)
      throw new PlatformError('ERR_JOLT_LIMIT', {
        what: 'spec',
        limit: 'maxNodes',
        max: limits.maxNodes,
      });
    if (depth > limits.maxDepth)
      throw new PlatformError('ERR_JOLT_LIMIT', {
        what: 'spec',
        limit: 'maxDepth',
        max: limits.maxDepth,
      });
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const out: JoltMap = new Map();
      ws();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      for (;;) {
        ws();
        const key = parseString();
        ws();
        expect(':');
        out.set(key, parseValue(depth + 1));
        ws();
        if (text[pos] === ',') pos++;
        else {
          expect('}');
          return out;
        }
      }
    }
    if (c === '[') {
      pos++;
      const out: JoltValue[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(parseValue(depth + 1));
        ws();
        if (text[pos] === ',') pos++;
        else {
          expect(']');
          return out;
        }
      }
    }
    if (c === '"') return parseString();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(pos, pos + 400),
    );
    if (!m) return fail('unexpected character');
    pos += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    return Number(m[0]);
  };

  const value = parseValue(1);
  ws();
  if (pos !== text.length) fail('unexpected text after the JSON value');
  return value;
}
