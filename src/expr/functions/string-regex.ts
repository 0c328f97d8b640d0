// Regex string functions with Java semantics: MATCHES (whole string), REPLACE, SPLIT, STRINGMATCHES.
import type { JsonValue } from '../../core/json.js';
import type { FunctionDef } from '../function-def.js';
import { argValueError, limitError } from '../function-def.js';
import { checkResultLength, reqStr, toStr } from './coerce.js';
import { javaRegex, parseFlagNames } from './java-regex.js';
import { MAX_ARRAY_ELEMENTS } from './limits.js';

type Part = string | number;

/** Parses a Java replacement string: `$n`, `${name}`, `\x` escapes; anything else literal. */
function parseReplacement(fn: string, text: string, groupCount: number): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      if (i + 1 >= text.length)
        argValueError(fn, 'character to be escaped is missing in the replacement');
      lit += text[++i];
    } else if (ch === '$') {
      const named = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(text.slice(i + 1));
      if (named) {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(`\u0000${named[1] as string}`);
        i += named[0].length;
        continue;
      }
      const first = text[i + 1];
      if (first === undefined || !/\d/.test(first))
        argValueError(fn, `illegal group reference in the replacement "${text}"`);
      let num = Number(first);
      i++;
      while (
        i + 1 < text.length &&
        /\d/.test(text[i + 1] as string) &&
        num * 10 + Number(text[i + 1]) <= groupCount
      ) {
        num = num * 10 + Number(text[++i]);
      }
      if (num > groupCount) argValueError(fn, `no group ${num} in the regex`);
      if (lit) parts.push(lit);
      lit = '';
      parts.push(num);
    } else lit += ch;
  }
  if (lit) parts.push(lit);
  return parts;
}

const groupCounts = new WeakMap<RegExp, number>();

function replaceAll(s: string, pattern: string, replacement: string): string {
  const re = javaRegex('REPLACE', pattern, '', s);
  let groupCount = groupCounts.get(re);
  if (groupCount === undefined) {
    groupCount =
      (new RegExp(`(?:${re.source})|`, re.flags.replace('g', '')).exec('') ?? ['']).length - 1;
    groupCounts.set(re, groupCount);
  }
  const parts = parseReplacement('REPLACE', replacement, groupCount);
  let out = '';
  let last = 0;
  for (const m of s.matchAll(re)) {
    out += s.slice(last, m.index);
    for (const part of parts) {
      if (typeof part === 'number') out += m[part] ?? '';
      else if (part.startsWith('\u0000')) {
        const g = m.groups?.[part.slice(1)];
        if (m.groups === undefined || !Object.hasOwn(m.groups, part.slice(1)))
          argValueError('REPLACE', `no group named ${part.slice(1)}`);
        out += g ?? '';
      } else out += part;
    }
    checkResultLength('REPLACE', out.length);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** Java String.split(regex): no empty leading part for a zero-width match, trailing empties dropped. */
function split(s: string, pattern: string): string[] {
  const re = javaRegex('SPLIT', pattern, '', s);
  const parts: string[] = [];
  let last = 0;
  let matched = false;
  for (const m of s.matchAll(re)) {
    if (m[0].length === 0 && m.index === 0) continue;
    if (m[0].length === 0 && m.index >= s.length) break;
    matched = true;
    parts.push(s.slice(last, m.index));
    if (parts.length > MAX_ARRAY_ELEMENTS)
      limitError('SPLIT', `more than ${MAX_ARRAY_ELEMENTS} parts`);
    last = m.index + m[0].length;
  }
  if (!matched) return [s];
  parts.push(s.slice(last));
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function all(s: string, pattern: string, flags: string): JsonValue[] {
  const out: JsonValue[] = [];
  for (const m of s.matchAll(javaRegex('STRINGMATCHES', pattern, flags, s))) {
    out.push(m[0]);
    if (out.length > MAX_ARRAY_ELEMENTS)
      limitError('STRINGMATCHES', `more than ${MAX_ARRAY_ELEMENTS} matches`);
  }
  return out;
}

export const regexFunctions: FunctionDef[] = [
  {
    name: 'MATCHES',
    group: 'string',
    minArgs: 2,
    maxArgs: 2,
    args: ['string', 'string'],
    signature: 'MATCHES(s, regex)',
    summary:
      'true when the whole of s matches regex (Java String.matches): MATCHES("abc123", "[a-z]+\\\\d+") is true; null s is false.',
    call: ([s, r]) => {
      const text = toStr('MATCHES', 0, s);
      const pattern = reqStr('MATCHES', 1, r);
      if (text === null) return false;
      return javaRegex('MATCHES', pattern, '', text, true).test(text);
    },
  },
  {
    name: 'REPLACE',
    group: 'string',
    minArgs: 3,
    maxArgs: 3,
    args: ['string', 'string', 'string'],
    signature: 'REPLACE(s, regex, replacement)',
    summary:
      'every match of regex replaced (Java replaceAll: $1 and ${name} refer to groups, \\$ is a dollar): REPLACE("a-b-c", "-", "+") is "a+b+c".',
    call: ([s, r, rep]) => {
      const text = toStr('REPLACE', 0, s);
      if (text === null) return null;
      return replaceAll(text, reqStr('REPLACE', 1, r), toStr('REPLACE', 2, rep) ?? '');
    },
  },
  {
    name: 'SPLIT',
    group: 'string',
    minArgs: 2,
    maxArgs: 2,
    args: ['string', 'string'],
    signature: 'SPLIT(s, regex)',
    summary:
      'array of the parts of s around regex matches (Java split: trailing empty parts dropped): SPLIT("a,b,,", ",") is ["a","b"].',
    call: ([s, r]) => {
      const text = toStr('SPLIT', 0, s);
      if (text === null) return null;
      return split(text, reqStr('SPLIT', 1, r));
    },
  },
  {
    name: 'STRINGMATCHES',
    group: 'string',
    minArgs: 2,
    maxArgs: 3,
    args: ['string', 'string', 'string'],
    signature: 'STRINGMATCHES(s, regex, flag?)',
    summary:
      'array of every match of regex in s; flag is a Java Pattern flag name (CASE_INSENSITIVE, MULTILINE, DOTALL, COMMENTS, LITERAL, UNICODE_CASE; several joined by "|"): STRINGMATCHES("a1b22", "\\\\d+") is ["1","22"].',
    call: ([s, r, f]) => {
      const text = toStr('STRINGMATCHES', 0, s);
      const pattern = reqStr('STRINGMATCHES', 1, r);
      const flags = parseFlagNames('STRINGMATCHES', toStr('STRINGMATCHES', 2, f));
      if (text === null) return null;
      return all(text, pattern, flags);
    },
  },
];
