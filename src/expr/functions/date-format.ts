// Java SimpleDateFormat patterns: tokenize once, format a luxon DateTime, parse text into one.
import type { DateTime } from 'luxon';
import { DateTime as LuxonDateTime, FixedOffsetZone } from 'luxon';
import { argValueError, limitError } from '../function-def.js';
import type { DateNames, ResolvedZone } from './date-zone.js';
import { resolveZone } from './date-zone.js';
import { MAX_FORMAT_PATTERN } from './limits.js';

/** A pattern token: a literal or a field letter repeated `count` times. */
export type DateToken = { lit: string } | { field: string; count: number };

// SimpleDateFormat letters plus the java.time DateTimeFormatter ones the platform documents
// (u = year, e/c = day-of-week number, Q/q, V, O, x, n, A); S is a fraction of the second, as there.
const FIELDS = new Set('GyYMLwWDdFEuaHkKhmsSzZXecQqVOxnA');
const NUMERIC_FIELDS = new Set('yYMLwWDdFuHkKhmsSecQqnA');
const cache = new Map<string, DateToken[]>();

/** Tokenizes `yyyy-MM-dd'T'HH:mm:ss.SSSZ`; quoted text is literal, `''` is a quote. */
export function tokenizeDate(fn: string, pattern: string): DateToken[] {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (pattern.length > MAX_FORMAT_PATTERN)
    limitError(fn, `the pattern is longer than ${MAX_FORMAT_PATTERN} characters`);
  const tokens: DateToken[] = [];
  const lit = (s: string): void => {
    const last = tokens[tokens.length - 1];
    if (last && 'lit' in last) last.lit += s;
    else tokens.push({ lit: s });
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        lit("'");
        i++;
        continue;
      }
      let j = i + 1;
      let text = '';
      for (; j < pattern.length; j++) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] !== "'") break;
          text += "'";
          j++;
        } else text += pattern[j];
      }
      if (j >= pattern.length) argValueError(fn, `unterminated quote in date pattern "${pattern}"`);
      lit(text);
      i = j;
    } else if (/[A-Za-z]/.test(ch)) {
      if (!FIELDS.has(ch)) argValueError(fn, `illegal pattern character '${ch}' in "${pattern}"`);
      let count = 1;
      while (pattern[i + count] === ch) count++;
      tokens.push({ field: ch, count });
      i += count - 1;
    } else lit(ch);
  }
  if (cache.size >= 500) cache.clear();
  cache.set(pattern, tokens);
  return tokens;
}

const pad = (n: number, width: number): string =>
  (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(width, '0');

/** `-3`, `+5:30`: the short localized offset of DateTimeFormatter's `O`. */
function shortOffset(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${Math.floor(a / 60)}${a % 60 ? `:${pad(a % 60, 2)}` : ''}`;
}

function offsetText(minutes: number, style: 'Z' | 'X1' | 'X2' | 'X3' | 'x1' | 'x2' | 'x3'): string {
  if (minutes === 0 && style[0] === 'X') return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  const hh = pad(Math.floor(a / 60), 2);
  const mm = pad(a % 60, 2);
  if (style === 'X1' || style === 'x1') return sign + hh;
  return style === 'X3' || style === 'x3' ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}

function zoneName(dt: DateTime, zone: ResolvedZone, long: boolean): string {
  if (zone.zone.type === 'fixed')
    return zone.id === 'UTC' ? (long ? 'Coordinated Universal Time' : 'UTC') : zone.id;
  return (long ? dt.offsetNameLong : dt.offsetNameShort) ?? zone.id;
}

/** Formats `dt` (already in the output zone) with the tokens and locale names. */
export function formatDate(
  dt: DateTime,
  tokens: DateToken[],
  names: DateNames,
  zone: ResolvedZone,
): string {
  let out = '';
  for (const t of tokens) {
    if ('lit' in t) {
      out += t.lit;
      continue;
    }
    const c = t.count;
    switch (t.field) {
      case 'G':
        out += names.eras[dt.year > 0 ? 1 : 0];
        break;
      case 'y':
        out += c === 2 ? pad(dt.year % 100, 2) : pad(dt.year, c);
        break;
      case 'Y':
        out += c === 2 ? pad(dt.weekYear % 100, 2) : pad(dt.weekYear, c);
        break;
      case 'M':
      case 'L': {
        const standalone = t.field === 'L';
        if (c >= 4) out += (standalone ? names.standaloneLong : names.monthsLong)[dt.month - 1];
        else if (c === 3)
          out += (standalone ? names.standaloneShort : names.monthsShort)[dt.month - 1];
        else out += pad(dt.month, c);
        break;
      }
      case 'w':
        out += pad(dt.weekNumber, c);
        break;
      case 'W':
        out += pad(Math.ceil((dt.day + ((dt.startOf('month').weekday + 6) % 7)) / 7), c);
        break;
      case 'D':
        out += pad(dt.ordinal, c);
        break;
      case 'd':
        out += pad(dt.day, c);
        break;
      case 'F':
        out += pad(Math.ceil(dt.day / 7), c);
        break;
      case 'E':
        out += (c >= 4 ? names.weekdaysLong : names.weekdaysShort)[dt.weekday - 1];
        break;
      case 'u':
        out += c === 2 ? pad(dt.year % 100, 2) : pad(dt.year, c);
        break;
      case 'e':
      case 'c':
        if (c >= 3) out += (c >= 4 ? names.weekdaysLong : names.weekdaysShort)[dt.weekday - 1];
        else out += pad(((dt.weekday - names.firstDay + 7) % 7) + 1, c);
        break;
      case 'Q':
      case 'q':
        out +=
          c <= 2
            ? pad(dt.quarter, c)
            : c === 3
              ? `Q${dt.quarter}`
              : `${['1st', '2nd', '3rd', '4th'][dt.quarter - 1]} quarter`;
        break;
      case 'V':
        out += zone.id;
        break;
      case 'O':
        out +=
          dt.offset === 0
            ? 'GMT'
            : `GMT${c >= 4 ? offsetText(dt.offset, 'X3') : shortOffset(dt.offset)}`;
        break;
      case 'x':
        out += offsetText(dt.offset, c === 1 ? 'x1' : c === 2 ? 'x2' : 'x3');
        break;
      case 'n':
        out += pad(dt.millisecond * 1_000_000, c);
        break;
      case 'A':
        out += pad(((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1000 + dt.millisecond, c);
        break;
      case 'a':
        out += names.meridiems[dt.hour < 12 ? 0 : 1];
        break;
      case 'H':
        out += pad(dt.hour, c);
        break;
      case 'k':
        out += pad(dt.hour === 0 ? 24 : dt.hour, c);
        break;
      case 'K':
        out += pad(dt.hour % 12, c);
        break;
      case 'h':
        out += pad(dt.hour % 12 === 0 ? 12 : dt.hour % 12, c);
        break;
      case 'm':
        out += pad(dt.minute, c);
        break;
      case 's':
        out += pad(dt.second, c);
        break;
      case 'S': {
        const ms = pad(dt.millisecond, 3);
        out += c <= 3 ? ms.slice(0, c) : ms.padEnd(c, '0');
        break;
      }
      case 'z':
        out += zoneName(dt, zone, c >= 4);
        break;
      case 'Z':
        out += offsetText(dt.offset, 'Z');
        break;
      case 'X':
        out += offsetText(dt.offset, c === 1 ? 'X1' : c === 2 ? 'X2' : 'X3');
        break;
    }
  }
  return out;
}

interface Fields {
  year?: number;
  twoDigitYear?: boolean;
  month?: number;
  day?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  millisecond?: number;
  offset?: number;
  zone?: ResolvedZone;
}

function matchName(
  text: string,
  pos: number,
  lists: string[][],
): { index: number; length: number } | null {
  let best: { index: number; length: number } | null = null;
  const lower = text.toLowerCase();
  for (const list of lists) {
    list.forEach((name, index) => {
      const n = name.toLowerCase();
      if (n !== '' && lower.startsWith(n, pos) && (!best || n.length > best.length))
        best = { index, length: n.length };
    });
  }
  return best;
}

const OFFSET_RE = /^(?:Z|(?:GMT|UTC)(?=[+-]|$)|[+-]\d{2}(?::?\d{2})?)/;

function parseOffset(text: string, pos: number): { minutes: number; length: number } | null {
  const rest = text.slice(pos);
  const m = OFFSET_RE.exec(rest);
  if (!m) return null;
  const tok = m[0];
  if (tok === 'Z') return { minutes: 0, length: 1 };
  if (tok === 'GMT' || tok === 'UTC') {
    const more = /^([+-])(\d{1,2})(?::?(\d{2}))?/.exec(rest.slice(3));
    if (!more) return { minutes: 0, length: 3 };
    const minutes = Number(more[2]) * 60 + Number(more[3] ?? 0);
    return { minutes: more[1] === '-' ? -minutes : minutes, length: 3 + more[0].length };
  }
  const sign = tok[0] === '-' ? -1 : 1;
  const digits = tok.slice(1).replace(':', '');
  return {
    minutes: sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)),
    length: tok.length,
  };
}

/** Parses `text` with the tokens; fields default to 1970-01-01T00:00:00.000 in `zone`. */
export function parseDate(
  fn: string,
  text: string,
  tokens: DateToken[],
  names: DateNames,
  zone: ResolvedZone,
  nowYear: () => number,
): DateTime {
  const f: Fields = {};
  let pos = 0;
  const fail = (what: string): never =>
    argValueError(fn, `"${text}" does not match the date pattern (${what} at position ${pos})`);
  tokens.forEach((t, i) => {
    if ('lit' in t) {
      if (!text.startsWith(t.lit, pos)) fail(`expected "${t.lit}"`);
      pos += t.lit.length;
      return;
    }
    const nextTok = tokens[i + 1];
    const abutting =
      nextTok !== undefined &&
      'field' in nextTok &&
      NUMERIC_FIELDS.has(nextTok.field) &&
      !(nextTok.field === 'M' && nextTok.count >= 3);
    const isText =
      t.field === 'E' ||
      ((t.field === 'e' || t.field === 'c') && t.count >= 3) ||
      t.field === 'a' ||
      t.field === 'G' ||
      ((t.field === 'M' || t.field === 'L') && t.count >= 3);
    if (isText) {
      const lists =
        t.field === 'E' || t.field === 'e' || t.field === 'c'
          ? [names.weekdaysLong, names.weekdaysShort]
          : t.field === 'a'
            ? [names.meridiems]
            : t.field === 'G'
              ? [names.eras]
              : [names.monthsLong, names.monthsShort, names.standaloneLong, names.standaloneShort];
      const hit = matchName(text, pos, lists);
      if (!hit) return fail(`expected a name for ${t.field}`);
      if (t.field === 'M' || t.field === 'L') f.month = hit.index + 1;
      if (t.field === 'a') f.pm = hit.index === 1;
      pos += hit.length;
      return;
    }
    if (t.field === 'V') {
      const id = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*/.exec(text.slice(pos));
      if (!id) return fail('expected a zone id');
      f.zone = resolveZone(fn, id[0]);
      pos += id[0].length;
      return;
    }
    if (
      t.field === 'Z' ||
      t.field === 'X' ||
      t.field === 'z' ||
      t.field === 'O' ||
      t.field === 'x'
    ) {
      const off = parseOffset(text, pos);
      if (!off) return fail('expected a zone offset');
      f.offset = off.minutes;
      pos += off.length;
      return;
    }
    const digits =
      abutting || t.field === 'S'
        ? new RegExp(`^\\d{${t.count}}`).exec(text.slice(pos))
        : /^\d{1,9}/.exec(text.slice(pos));
    if (!digits) return fail(`expected digits for ${t.field}`);
    const n = Number(digits[0]);
    pos += digits[0].length;
    switch (t.field) {
      case 'y':
      case 'u':
      case 'Y':
        f.year = n;
        f.twoDigitYear = t.count <= 2 && digits[0].length === 2;
        break;
      case 'M':
      case 'L':
        f.month = n;
        break;
      case 'd':
        f.day = n;
        break;
      case 'H':
        f.hour = n;
        break;
      case 'k':
        f.hour = n === 24 ? 0 : n;
        break;
      case 'K':
        f.hour12 = n;
        break;
      case 'h':
        f.hour12 = n === 12 ? 0 : n;
        break;
      case 'm':
        f.minute = n;
        break;
      case 's':
        f.second = n;
        break;
      case 'S':
        // A fraction of the second: "5" in S is 500 ms, "123456" in SSSSSS is 123 ms.
        f.millisecond = Number(digits[0].padEnd(3, '0').slice(0, 3));
        break;
      case 'n':
        f.millisecond = Math.floor(n / 1_000_000);
        break;
      default:
        break; // w, W, D, F, e, c, Q, q, A are read and ignored: they do not fix a date on their own
    }
  });
  return buildDate(fn, text, f, zone, nowYear);
}

function buildDate(
  fn: string,
  text: string,
  f: Fields,
  zone: ResolvedZone,
  currentYear: () => number,
): DateTime {
  let year = f.year ?? 1970;
  if (f.twoDigitYear) {
    const nowYear = currentYear();
    // SimpleDateFormat: a two-digit year lands within 80 years before and 20 years after now.
    const century = Math.floor((nowYear - 80) / 100) * 100;
    year = century + year;
    if (year < nowYear - 80) year += 100;
  }
  const hour = f.hour ?? (f.hour12 !== undefined ? f.hour12 + (f.pm ? 12 : 0) : 0);
  const z = f.offset !== undefined ? FixedOffsetZone.instance(f.offset) : (f.zone ?? zone).zone;
  const dt = LuxonDateTime.fromObject(
    {
      year,
      month: f.month ?? 1,
      day: f.day ?? 1,
      hour,
      minute: f.minute ?? 0,
      second: f.second ?? 0,
      millisecond: 0,
    },
    { zone: z },
  );
  if (!dt.isValid)
    return argValueError(
      fn,
      `"${text}" is not a valid date (${dt.invalidExplanation ?? 'out of range'})`,
    );
  return f.millisecond ? dt.plus({ milliseconds: f.millisecond }) : dt;
}
