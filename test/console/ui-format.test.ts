// Front-end logic of the web console: formatting of times, durations, sizes and stored messages.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatList,
  formatMsAxis,
  formatPercent,
  formatTime,
  maskedParts,
  parseList,
  showMessage,
  TRUNCATED_MARKER,
} from '../../console/src/lib/format.js';

describe('console formatting', () => {
  it('formats times as YYYY-MM-DD HH:MM:SS, from ISO strings or epoch ms', () => {
    expect(formatTime('2026-03-04T05:06:07.890Z', 'utc')).toBe('2026-03-04 05:06:07');
    expect(formatTime(Date.UTC(2026, 11, 31, 23, 59, 58), 'utc')).toBe('2026-12-31 23:59:58');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a time')).toBe('—');
  });

  it('formats durations at a useful precision', () => {
    expect(formatDuration(0.4234)).toBe('0.42 ms');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(999.6)).toBe('1000 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3_600_000 + 4 * 60_000)).toBe('3 h 4 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });

  it('labels millisecond axes with enough digits to tell ticks apart', () => {
    expect(formatMsAxis(0)).toBe('0 ms');
    expect(formatMsAxis(0.75)).toBe('0.75 ms');
    expect(formatMsAxis(0.8)).toBe('0.8 ms');
    expect(formatMsAxis(12.345)).toBe('12.3 ms');
    expect(formatMsAxis(2500)).toBe('2.50 s');
  });

  it('formats sizes 1024-based as the store limits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(32 * 1024)).toBe('32 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(320 * 1024)).toBe('320 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatBytes(undefined)).toBe('—');
  });

  it('formats counts with separators and ratios as percentages', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(-1234.5)).toBe('-1,234.5');
    expect(formatCount(12)).toBe('12');
    expect(formatPercent(0.125)).toBe('13 %');
    expect(formatPercent(0.0123)).toBe('1.2 %');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(null)).toBe('—');
  });

  it('pretty-prints whole messages and says when one was cut or dropped', () => {
    const whole = showMessage({ a: 1, password: '***' }, 30);
    expect(whole.state).toBe('whole');
    expect(whole.text).toBe('{\n  "a": 1,\n  "password": "***"\n}');
    expect(whole.note).toBeNull();

    const cut = showMessage('{"big":"xxxx…', 100_000);
    expect(cut.state).toBe('cut');
    expect(cut.text).toBe('{"big":"xxxx…');
    expect(cut.note).toMatch(/first 32 KB of 97.7 KB/);

    const dropped = showMessage(TRUNCATED_MARKER, 500_000);
    expect(dropped.state).toBe('dropped');
    expect(dropped.text).toBe('');
    expect(dropped.note).toMatch(/488 KB, over the 320 KB limit/);

    // A short string message is a whole message, not a cut one.
    expect(showMessage('hello', 7).state).toBe('whole');
    expect(showMessage(null, null).state).toBe('none');
  });

  it('finds the masked values of pretty JSON to highlight them', () => {
    const parts = maskedParts('{\n  "user": "bob",\n  "password": "***"\n}');
    expect(parts.filter((p) => p.masked).map((p) => p.text)).toEqual(['"***"']);
    expect(parts.map((p) => p.text).join('')).toBe('{\n  "user": "bob",\n  "password": "***"\n}');
    expect(maskedParts('no secrets')).toEqual([{ text: 'no secrets', masked: false }]);
  });

  it('parses and prints lists', () => {
    expect(parseList(' read, write  admin,,')).toEqual(['read', 'write', 'admin']);
    expect(parseList('')).toEqual([]);
    expect(formatList(['a', 'b'])).toBe('a, b');
    expect(formatList([], 'none')).toBe('none');
    expect(formatList(null)).toBe('—');
  });
});
