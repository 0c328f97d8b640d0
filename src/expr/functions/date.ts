// Date functions: NOW, FORMATDATE, TOISODATE, SUMDATE, DIFFDATE (SimpleDateFormat patterns, epoch ms).
import type { DateTime, DurationLikeObject } from 'luxon';
import { DateTime as LuxonDateTime } from 'luxon';
import type { JsonValue } from '../../core/json.js';
import type { EvalServices, FunctionDef } from '../function-def.js';
import { argTypeError, argValueError } from '../function-def.js';
import { reqInt, reqStr, toNum, toStr } from './coerce.js';
import { formatDate, parseDate, tokenizeDate } from './date-format.js';
import type { ResolvedZone } from './date-zone.js';
import { dateNames, resolveZone } from './date-zone.js';

const ISO_OFFSET = tokenizeDate('FORMATDATE', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
const ISO_ZONED_BASE = tokenizeDate('FORMATDATE', "yyyy-MM-dd'T'HH:mm:ss");

/**
 * The current UTC year, for the two-digit-year window only. When a call is folded at load time the
 * services refuse the clock (TypeError); the window depends on nothing finer than the year, so the
 * wall clock is used then.
 */
function currentYear(s: EvalServices): number {
  let now: number;
  try {
    now = s.now();
  } catch {
    now = Date.now();
  }
  return new Date(now).getUTCFullYear();
}

/** Reads `value` as a date: epoch ms for "timestamp", ISO 8601 for a null format, else the pattern. */
function readDate(
  fn: string,
  value: JsonValue,
  format: string | null,
  locale: string | null,
  zone: ResolvedZone,
  s: EvalServices,
): DateTime {
  if (format !== null && format.toLowerCase() === 'timestamp') {
    const ms = toNum(fn, 0, value);
    if (ms === null || !Number.isFinite(ms))
      return argTypeError(fn, 0, 'epoch milliseconds', value);
    const dt = LuxonDateTime.fromMillis(Math.trunc(ms), { zone: zone.zone });
    if (!dt.isValid) return argValueError(fn, `${ms} is out of the supported date range`);
    return dt;
  }
  // A date held as a JSON number (20240229) is read through its digits.
  if (typeof value === 'number' && format !== null)
    return readDate(fn, String(value), format, locale, zone, s);
  if (typeof value !== 'string') return argTypeError(fn, 0, 'a date string', value);
  if (format === null) {
    const dt = LuxonDateTime.fromISO(value.replace(/\[[^\]]*\]$/, ''), {
      zone: zone.zone,
      setZone: true,
    });
    if (!dt.isValid) return argValueError(fn, `"${value}" is not an ISO 8601 date-time`);
    return dt;
  }
  return parseDate(fn, value, tokenizeDate(fn, format), dateNames(fn, locale), zone, () =>
    currentYear(s),
  );
}

/** Java ISO_ZONED_DATE_TIME: 2024-03-10T12:00:00-03:00[GMT-03:00], fraction only when non-zero. */
function isoZoned(dt: DateTime, zone: ResolvedZone): string {
  const names = dateNames('FORMATDATE', null);
  const frac =
    dt.millisecond === 0 ? '' : `.${String(dt.millisecond).padStart(3, '0').replace(/0+$/, '')}`;
  const offset = formatDate(dt, [{ field: 'X', count: 3 }], names, zone);
  return `${formatDate(dt, ISO_ZONED_BASE, names, zone)}${frac}${offset}[${zone.id}]`;
}

const UNITS: Record<string, keyof DurationLikeObject> = {
  MILLISECOND: 'milliseconds',
  SECOND: 'seconds',
  MINUTE: 'minutes',
  HOUR: 'hours',
  DAY: 'days',
  WEEK: 'weeks',
  MONTH: 'months',
  YEAR: 'years',
};

function unitOf(fn: string, index: number, value: JsonValue | undefined): keyof DurationLikeObject {
  const name = reqStr(fn, index, value).toUpperCase().replace(/S$/, '');
  const unit = UNITS[name];
  if (unit === undefined)
    return argValueError(
      fn,
      `unknown unit "${String(value)}" (year, month, week, day, hour, minute, second, millisecond)`,
    );
  return unit;
}

const UNIT_MS: Record<string, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

/** Whole calendar months from t1 to t2 in UTC, as Java ChronoUnit.MONTHS.between (2024-02-29 → 2025-02-28 is 11). */
function monthsBetween(t1: number, t2: number): number {
  const a = new Date(t1);
  const b = new Date(t2);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  const restA = t1 - Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), 1);
  const restB = t2 - Date.UTC(b.getUTCFullYear(), b.getUTCMonth(), 1);
  if (months > 0 && restB < restA) months--;
  else if (months < 0 && restB > restA) months++;
  return months;
}

function epochArg(fn: string, index: number, value: JsonValue | undefined): number {
  const n = toNum(fn, index, value);
  if (n === null || !Number.isSafeInteger(Math.trunc(n)))
    return argTypeError(fn, index, 'epoch milliseconds', value ?? null);
  // ECMAScript dates span ±8.64e15 ms (±100,000,000 days around 1970).
  if (Math.abs(n) > 8.64e15) return argValueError(fn, `${n} is outside the supported date range`);
  return Math.trunc(n);
}

export const dateFunctions: FunctionDef[] = [
  {
    name: 'NOW',
    group: 'date',
    minArgs: 0,
    maxArgs: 0,
    pure: false,
    signature: 'NOW()',
    summary: 'the current time in epoch milliseconds.',
    call: (_args, services) => services.now(),
  },
  {
    name: 'FORMATDATE',
    group: 'date',
    minArgs: 3,
    maxArgs: 7,
    args: ['any', 'string', 'string', 'string', 'string', 'string', 'string'],
    signature:
      'FORMATDATE(value, fromFormat, toFormat, fromLocale?, fromTimezone?, toLocale?, toTimezone?)',
    summary:
      'reformats a date between SimpleDateFormat patterns ("timestamp" = epoch ms; null toFormat = ISO zoned); the to… locale and zone default to the from… ones, then en-US and UTC: FORMATDATE("2024-02-29", "yyyy-MM-dd", "dd/MM/yyyy") is "29/02/2024".',
    call: ([v, from, to, fl, fz, tl, tz], services) => {
      if (v === null || v === undefined) return null;
      const fromFormat = toStr('FORMATDATE', 1, from);
      const toFormat = toStr('FORMATDATE', 2, to);
      const fromLocale = toStr('FORMATDATE', 3, fl);
      const fromZone = resolveZone('FORMATDATE', toStr('FORMATDATE', 4, fz));
      const toLocale = toStr('FORMATDATE', 5, tl) ?? fromLocale;
      const tzName = toStr('FORMATDATE', 6, tz);
      const toZone = tzName === null ? fromZone : resolveZone('FORMATDATE', tzName);
      const dt = readDate('FORMATDATE', v, fromFormat, fromLocale, fromZone, services).setZone(
        toZone.zone,
      );
      if (toFormat === null) return isoZoned(dt, toZone);
      if (toFormat.toLowerCase() === 'timestamp') return dt.toMillis();
      return formatDate(
        dt,
        tokenizeDate('FORMATDATE', toFormat),
        dateNames('FORMATDATE', toLocale),
        toZone,
      );
    },
  },
  {
    name: 'TOISODATE',
    group: 'date',
    minArgs: 2,
    maxArgs: 4,
    args: ['any', 'string', 'string', 'string'],
    signature: 'TOISODATE(value, sourceFormat, locale?, timezone? = "UTC")',
    summary:
      'the date as ISO 8601 yyyy-MM-ddTHH:mm:ss.SSS with offset (Z for UTC), read and written in timezone: TOISODATE("10/03/2024 09:30", "dd/MM/yyyy HH:mm", null, "GMT-3") is "2024-03-10T09:30:00.000-03:00".',
    call: ([v, f, l, z], services) => {
      if (v === null || v === undefined) return null;
      const zone = resolveZone('TOISODATE', toStr('TOISODATE', 3, z));
      const dt = readDate(
        'TOISODATE',
        v,
        toStr('TOISODATE', 1, f),
        toStr('TOISODATE', 2, l),
        zone,
        services,
      ).setZone(zone.zone);
      return formatDate(dt, ISO_OFFSET, dateNames('TOISODATE', null), zone);
    },
  },
  {
    name: 'SUMDATE',
    group: 'date',
    minArgs: 3,
    maxArgs: 4,
    args: ['number', 'string', 'integer', 'string'],
    signature: 'SUMDATE(epochMs, unit, amount, zoneId? = "UTC")',
    summary:
      'epochMs plus amount units (year, month, week, day, hour, minute, second, millisecond; case-insensitive), calendar-aware in zoneId: SUMDATE(0, "SECOND", 30) is 30000.',
    call: ([t, u, a, z]) => {
      if (t === null || t === undefined) return null;
      const epoch = epochArg('SUMDATE', 0, t);
      const unit = unitOf('SUMDATE', 1, u);
      const amount = reqInt('SUMDATE', 2, a);
      const zone = resolveZone('SUMDATE', toStr('SUMDATE', 3, z));
      const out = LuxonDateTime.fromMillis(epoch, { zone: zone.zone }).plus({ [unit]: amount });
      if (!out.isValid)
        return argValueError('SUMDATE', 'the result is out of the supported date range');
      return out.toMillis();
    },
  },
  {
    name: 'DIFFDATE',
    group: 'date',
    minArgs: 3,
    maxArgs: 3,
    args: ['number', 'number', 'string'],
    signature: 'DIFFDATE(ts1, ts2, unit)',
    summary:
      'ts2 − ts1 in whole units (year, month, week, day, hour, minute, second, millisecond), truncated toward zero, negative when ts1 > ts2: DIFFDATE(0, 90000, "minute") is 1.',
    call: ([a, b, u]) => {
      if (a === null || a === undefined || b === null || b === undefined) return null;
      const t1 = epochArg('DIFFDATE', 0, a);
      const t2 = epochArg('DIFFDATE', 1, b);
      const unit = unitOf('DIFFDATE', 2, u);
      const diff =
        unit === 'months' || unit === 'years'
          ? monthsBetween(t1, t2) / (unit === 'years' ? 12 : 1)
          : (t2 - t1) / (UNIT_MS[unit] ?? 1);
      const whole = Math.trunc(diff);
      return whole === 0 ? 0 : whole;
    },
  },
];
