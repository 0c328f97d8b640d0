// String-level syntax of JOLT keys and paths: escapes, dot notation, `&(n,m)` / `#n` references, '*' patterns.
import { javaParseInt } from './walked-path.js';

/** A syntax problem in one key or path; turned into ERR_JOLT_SPEC_INVALID with the spec path by the caller. */
export class KeySyntaxError extends Error {
  override readonly name = 'KeySyntaxError';
}

/** `\@pants` -> `pants`: drops escaped characters (used to decide what kind of key this is). */
export function removeEscapedValues(key: string): string {
  let out = '';
  let prevEscape = false;
  for (const c of key) {
    if (c === '\\') prevEscape = !prevEscape;
    else {
      if (!prevEscape) out += c;
      prevEscape = false;
    }
  }
  return out;
}

/** `\@pants` -> `@pants`: drops the escape characters themselves (the literal text of the key). */
export function removeEscapeChars(key: string): string {
  let out = '';
  let prevEscape = false;
  for (const c of key) {
    if (c === '\\') {
      if (prevEscape) {
        out += c;
        prevEscape = false;
      } else prevEscape = true;
    } else {
      out += c;
      prevEscape = false;
    }
  }
  return out;
}

/** A reference such as `&`, `&2`, `&(1,2)`, `$(0,1)`: levels up and capture group. */
export interface Reference {
  pathIndex: number;
  keyGroup: number;
}

/** Parses `&…` / `$…` (path and group); `withGroup` false parses `#n` (path only). */
export function parseReference(text: string, token: string, withGroup = true): Reference {
  if (text.length === 0 || text[0] !== token)
    throw new KeySyntaxError(`invalid reference "${text}"`);
  const meat = text.slice(1);
  let pathIndex = 0;
  let keyGroup = 0;
  if (meat.length > 0) {
    if (withGroup && meat.length >= 3 && meat.startsWith('(') && meat.endsWith(')')) {
      const parts = meat.slice(1, -1).split(',');
      if (parts.length > 2) throw new KeySyntaxError(`invalid reference "${text}"`);
      pathIndex = intOrThrow(parts[0]!, text);
      if (parts.length === 2) keyGroup = intOrThrow(parts[1]!, text);
    } else {
      pathIndex = intOrThrow(meat, text);
    }
  }
  if (pathIndex < 0 || keyGroup < 0)
    throw new KeySyntaxError(`reference "${text}" can not have a negative value`);
  return { pathIndex, keyGroup };
}

function intOrThrow(text: string, ref: string): number {
  const n = javaParseInt(text);
  if (n === null) throw new KeySyntaxError(`unable to parse reference "${ref}"`);
  return n;
}

/** After an `&` at `start`, the end (exclusive) of its digits, parentheses and commas. */
export function endOfReference(key: string, start: number): number {
  let i = start;
  while (i < key.length && /[0-9(),]/.test(key[i]!)) i++;
  return i;
}

/** Splits a '*' pattern into its literal parts: `tag-*-*` -> ["tag-", "-", ""]. */
export function starParts(key: string): string[] {
  return key.split('*');
}

/**
 * Non-greedy '*' matching (each '*' captures at least one character, as `(.+?)` anchored at both
 * ends). Choosing the earliest occurrence of each literal is optimal, so this is linear and cannot
 * backtrack catastrophically on long keys.
 */
export function starMatch(parts: string[], key: string): string[] | null {
  const prefix = parts[0]!;
  const suffix = parts[parts.length - 1]!;
  if (!key.startsWith(prefix) || !key.endsWith(suffix)) return null;
  const end = key.length - suffix.length;
  let pos = prefix.length;
  const captures: string[] = [];
  for (let i = 1; i < parts.length - 1; i++) {
    const mid = parts[i]!;
    const idx = key.indexOf(mid, pos + 1);
    if (idx < 0 || idx + mid.length > end) return null;
    captures.push(key.slice(pos, idx));
    pos = idx + mid.length;
  }
  if (end - pos < 1) return null;
  captures.push(key.slice(pos, end));
  return captures;
}

/** `data[2].&(1,1)` -> `data.[2].&(1,1)`: every `[` starts a path element. */
export function fixLeadingBracketSugar(path: string): string {
  if (path.length === 0) return '';
  let out = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    const prev = path[i - 1]!;
    if (c === '[' && prev !== '\\' && prev !== '@' && prev !== '.') out += '.';
    out += c;
  }
  return out;
}

/** Splits a dot-notation path into element strings, keeping `@(…)` groups and escapes intact. */
export function splitDotNotation(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  segments: while (i < path.length) {
    let sb = '';
    let prevEscape = false;
    while (i < path.length) {
      const c = path[i++]!;
      const currEscape: boolean = c === '\\' && !prevEscape;
      if (prevEscape && c !== '.' && c !== '\\') {
        sb += '\\' + c;
      } else if (c === '@') {
        const [at, next] = parseAtElement(path, i);
        i = next;
        sb += '@' + at;
        const partOfArray = sb.includes('[') && !sb.includes(']');
        if (!partOfArray) {
          out.push(sb);
          sb = '';
        }
      } else if (c === '.') {
        if (prevEscape) sb += '.';
        else {
          if (sb.length > 0) out.push(sb);
          continue segments;
        }
      } else if (!currEscape) {
        sb += c;
      }
      prevEscape = currEscape;
    }
    if (sb.length > 0) out.push(sb);
  }
  return out;
}

/** Reads what follows an `@`: `(a.b)` whole, or `abc` up to the next '.', as `(abc)`. */
function parseAtElement(path: string, start: number): [string, number] {
  let i = start;
  if (i >= path.length) return ['', i];
  let c = path[i++]!;
  const parens = c === '(';
  let depth = parens ? 1 : 0;
  if (c === '.') throw new KeySyntaxError(`invalid '@' element in "${path}"`);
  let sb = c;
  while (i < path.length) {
    c = path[i++]!;
    sb += c;
    if (parens) {
      if (c === '(') throw new KeySyntaxError(`too many open parentheses in "${path}"`);
      if (c === ')') depth--;
      if (depth === 0) return [sb, i];
    } else if (c === '.') {
      return [`(${sb.slice(0, -1)})`, i];
    }
  }
  if (parens && depth !== 0) throw new KeySyntaxError(`unbalanced '@(' in "${path}"`);
  return [sb, i];
}
