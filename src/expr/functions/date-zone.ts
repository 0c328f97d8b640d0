// Time zones and locales for the date functions: UTC, GMT±h[:mm], ±hh:mm and IANA names.
import type { ZoneOffsetFormat, ZoneOffsetOptions } from 'luxon';
import { FixedOffsetZone, IANAZone, Info, Zone } from 'luxon';
import { argValueError } from '../function-def.js';
import { canonicalLocale } from './decimal-format.js';

const BUCKET_MS = 15 * 60_000;

/**
 * An IANA zone whose offset lookups are memoized per 15-minute bucket: luxon asks Intl for every
 * offset, which made zone-aware arithmetic ~5x slower than fixed offsets. Transitions of the tz
 * database fall on 15-minute UTC boundaries (only pre-1900 local-mean-time changes do not).
 */
class CachedIanaZone extends Zone {
  readonly #inner: IANAZone;
  readonly #offsets = new Map<number, number>();
  constructor(inner: IANAZone) {
    super();
    this.#inner = inner;
  }
  override get type(): string {
    return 'iana';
  }
  override get name(): string {
    return this.#inner.name;
  }
  get ianaName(): string {
    return this.#inner.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override get isValid(): boolean {
    return this.#inner.isValid;
  }
  override offsetName(ts: number, opts: ZoneOffsetOptions): string | null {
    return this.#inner.offsetName(ts, opts);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.#inner.formatOffset(ts, format);
  }
  override offset(ts: number): number {
    const bucket = Math.floor(ts / BUCKET_MS);
    let off = this.#offsets.get(bucket);
    if (off === undefined) {
      off = this.#inner.offset(ts);
      if (this.#offsets.size >= 10_000) this.#offsets.clear();
      this.#offsets.set(bucket, off);
    }
    return off;
  }
  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }
}

/** A resolved zone plus the id printed in ISO zoned output (Java ZoneId style). */
export interface ResolvedZone {
  zone: Zone;
  id: string;
}

const OFFSET = /^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const zoneCache = new Map<string, ResolvedZone>();

/** `GMT-03:00` style id of a fixed offset (UTC for zero). */
export function offsetId(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const a = Math.abs(minutes);
  return `GMT${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Resolves a zone name; null means UTC; an unknown name is ERR_EXPR_ARGUMENT_VALUE (Java would silently use GMT). */
export function resolveZone(fn: string, name: string | null): ResolvedZone {
  const key = (name ?? 'UTC').trim();
  const hit = zoneCache.get(key);
  if (hit) return hit;
  let out: ResolvedZone;
  const m = OFFSET.exec(key);
  if (/^(?:UTC|GMT|UT|Z)$/i.test(key)) out = { zone: FixedOffsetZone.utcInstance, id: 'UTC' };
  else if (m) {
    const h = Number(m[2]);
    const min = Number(m[3] ?? 0);
    if (h > 18 || min > 59) return argValueError(fn, `invalid time zone offset "${key}"`);
    const total = (m[1] === '-' ? -1 : 1) * (h * 60 + min);
    out = { zone: FixedOffsetZone.instance(total), id: offsetId(total) };
  } else if (IANAZone.isValidZone(key))
    out = { zone: new CachedIanaZone(IANAZone.create(key)), id: key };
  else return argValueError(fn, `unknown time zone "${key}"`);
  if (zoneCache.size < 500) zoneCache.set(key, out);
  return out;
}

/** Month, weekday, meridiem and era names of a locale (Intl/CLDR data). */
export interface DateNames {
  tag: string;
  monthsLong: string[];
  monthsShort: string[];
  standaloneLong: string[];
  standaloneShort: string[];
  /** Monday first, as luxon's weekday numbers 1..7. */
  weekdaysLong: string[];
  weekdaysShort: string[];
  meridiems: string[];
  eras: string[];
  /** First day of the week, 1 = Monday … 7 = Sunday (CLDR week data; Monday when unknown). */
  firstDay: number;
}

const namesCache = new Map<string, DateNames>();

function firstDayOf(tag: string): number {
  const locale = new Intl.Locale(tag) as Intl.Locale & { weekInfo?: { firstDay?: number } };
  return locale.weekInfo?.firstDay ?? 1;
}

/** Names for `locale` (`en-us`, `pt_BR`…; null means en-US). */
export function dateNames(fn: string, locale: string | null): DateNames {
  const key = locale ?? 'en-US';
  const hit = namesCache.get(key);
  if (hit) return hit;
  const tag = canonicalLocale(fn, key);
  const opts = { locale: tag };
  const names: DateNames = {
    tag,
    monthsLong: Info.monthsFormat('long', opts),
    monthsShort: Info.monthsFormat('short', opts),
    standaloneLong: Info.months('long', opts),
    standaloneShort: Info.months('short', opts),
    weekdaysLong: Info.weekdaysFormat('long', opts),
    weekdaysShort: Info.weekdaysFormat('short', opts),
    meridiems: Info.meridiems(opts),
    eras: Info.eras('short', opts),
    firstDay: firstDayOf(tag),
  };
  if (namesCache.size < 100) namesCache.set(key, names);
  return names;
}
