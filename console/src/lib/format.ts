// Display formatting of the console: times, durations, sizes, counts and stored messages.

/** The marker stored instead of a message over 320 KB (docs/monitoring.md "Message sizes"). */
export const TRUNCATED_MARKER = '@@PIPEGATE_TRUNCATED@@';
/** Messages up to this size (bytes of JSON) are stored whole. */
export const WHOLE_LIMIT = 32 * 1024;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A time as `YYYY-MM-DD HH:MM:SS` in local time (or UTC); `—` when absent or invalid. */
export function formatTime(
  value: string | number | null | undefined,
  zone: 'local' | 'utc' = 'local',
): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  const u = zone === 'utc';
  const y = u ? d.getUTCFullYear() : d.getFullYear();
  const mo = (u ? d.getUTCMonth() : d.getMonth()) + 1;
  const da = u ? d.getUTCDate() : d.getDate();
  const h = u ? d.getUTCHours() : d.getHours();
  const mi = u ? d.getUTCMinutes() : d.getMinutes();
  const s = u ? d.getUTCSeconds() : d.getSeconds();
  return `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** A duration in ms: `0.42 ms`, `12 ms`, `1.23 s`, `2 min 5 s`, `3 h 4 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 3600) return `${Math.floor(totalSec / 60)} min ${totalSec % 60} s`;
  const totalMin = Math.floor(totalSec / 60);
  return `${Math.floor(totalMin / 60)} h ${totalMin % 60} min`;
}

/** An axis label in ms: 3 significant digits below a second (`0.75 ms`, `12.5 ms`), else as formatDuration. */
export function formatMsAxis(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  if (ms === 0) return '0 ms';
  if (ms < 1000) return `${Number(ms.toPrecision(3))} ms`;
  return formatDuration(ms);
}

/** A size in bytes, 1024-based as the store's limits (`32 KB`). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${trim(n / 1024)} KB`;
  return `${trim(n / (1024 * 1024))} MB`;
}

function trim(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, '');
}

/** A count with thousands separators (`1,234,567`). */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const [int, frac] = String(Math.round(n * 100) / 100).split('.');
  const neg = int!.startsWith('-');
  const digits = neg ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** A ratio 0..1 as a percentage (`12.5 %`). */
export function formatPercent(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  const p = r * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)} %`;
}

/** A stored message ready to show: pretty JSON, and what was cut. */
export interface ShownMessage {
  text: string;
  /** `whole`, `cut` (first 32 KB of its JSON kept) or `dropped` (over 320 KB, not kept), `none`. */
  state: 'whole' | 'cut' | 'dropped' | 'none';
  note: string | null;
}

/**
 * Pretty-prints a stored request or response. A cut message is a string (the first 32 KB of the
 * JSON text and `…`) with a recorded size over 32 KB; a dropped one is the marker string.
 */
export function showMessage(value: unknown, bytes: number | null | undefined): ShownMessage {
  if (value === null || value === undefined)
    return { text: '', state: 'none', note: 'No message recorded.' };
  if (value === TRUNCATED_MARKER)
    return {
      text: '',
      state: 'dropped',
      note: `Not kept: the message was ${formatBytes(bytes)}, over the 320 KB limit.`,
    };
  if (typeof value === 'string' && typeof bytes === 'number' && bytes > WHOLE_LIMIT)
    return {
      text: value,
      state: 'cut',
      note: `Truncated: showing the first 32 KB of ${formatBytes(bytes)}.`,
    };
  return { text: JSON.stringify(value, null, 2), state: 'whole', note: null };
}

/** Splits pretty JSON text into plain parts and masked values (`***`) so they can be highlighted. */
export function maskedParts(text: string): { text: string; masked: boolean }[] {
  const out: { text: string; masked: boolean }[] = [];
  const re = /"\*\*\*"/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), masked: false });
    out.push({ text: m[0], masked: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), masked: false });
  return out;
}

/** `a, b, c` or a placeholder for empty/null lists. */
export function formatList(list: readonly string[] | null | undefined, empty = '—'): string {
  return list && list.length > 0 ? list.join(', ') : empty;
}

/** Parses `a, b c` (commas or spaces) into a list; empty entries dropped. */
export function parseList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
