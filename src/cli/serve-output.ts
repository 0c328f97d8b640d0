// Everything `pipegate serve` prints goes through one stream, in one format: JSON lines (pino's
// records) when stdout is not a terminal, short human lines when it is (pino-pretty style).
import { hostname } from 'node:os';
import { Writable } from 'node:stream';

/** pino's numeric levels. */
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevelName = keyof typeof LEVELS;
const NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** The server's output: the stream the gateway's logger writes to, and records of serve itself. */
export interface ServeOutput {
  /** Give to the gateway's logger (`logger.stream`): its records get the same format. */
  stream: Writable;
  /** Writes one record of serve itself (start banner, shutdown), with pino's fields. */
  log(level: LogLevelName, msg: string, fields?: Record<string, unknown>): void;
  /** Writes the gateway records still held (they are otherwise written once per event-loop turn). */
  flush(): void;
}

/** Held records are written at once past this many characters (one write per turn otherwise). */
const MAX_HELD_CHARS = 64 * 1024;
/** The flush of every output holding records, run when the process exits. */
const flushOnExit = new Set<() => void>();

const HOST = hostname();

/**
 * A record as pino writes it: level, time, pid, hostname, the fields, then msg. Fields never hold a
 * secret: serve shows the generated admin password and the demo key on the terminal only.
 */
export function logRecord(
  level: LogLevelName,
  msg: string,
  fields: Record<string, unknown> = {},
): string {
  return `${JSON.stringify({ level: LEVELS[level], time: Date.now(), pid: process.pid, hostname: HOST, ...fields, msg })}\n`;
}

const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function showValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v) ?? String(v);
}

/**
 * One JSON record as a human line: `12:00:01.234 INFO  msg key=value …` (nested objects as JSON).
 * A line that is not a JSON object is passed through unchanged.
 */
export function prettyLine(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) return line;
  const t = new Date(typeof rec.time === 'number' ? rec.time : Date.now());
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}`;
  const level = (NAMES[rec.level as number] ?? String(rec.level)).padEnd(5);
  const fields = Object.entries(rec)
    .filter(([k, v]) => !OMITTED.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${showValue(v)}`);
  return [time, level, String(rec.msg ?? ''), ...fields].join(' ');
}

/**
 * The output of serve: `pretty` when stdout is a terminal; `write` is stdout.
 *
 * The gateway writes a record per request (the access line). Without a terminal they are held and
 * written together once per event-loop turn (setImmediate), or at once past MAX_HELD_CHARS: one
 * `write` system call for all the requests a turn answered instead of one each (docs/operations.md
 * "Logs"). serve's own records, `flush()` and the process's `exit` write what is held first, so the
 * order of the lines is kept; a SIGKILL can lose the records of the current turn only.
 */
export function serveOutput(write: (text: string) => void, pretty: boolean): ServeOutput {
  let partial = '';
  let held = '';
  let scheduled = false;
  const flush = (): void => {
    if (held === '') return;
    const text = held;
    held = '';
    write(text);
  };
  const onTurn = (): void => {
    scheduled = false;
    flush();
  };
  if (!pretty) {
    if (flushOnExit.size === 0) process.once('exit', () => flushOnExit.forEach((f) => f()));
    flushOnExit.add(flush);
  }
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (!pretty) {
        held += text;
        if (held.length >= MAX_HELD_CHARS) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(onTurn);
        }
        return cb();
      }
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      if (lines.length > 0) write(lines.map((l) => `${prettyLine(l)}\n`).join(''));
      cb();
    },
  });
  return {
    stream,
    log(level, msg, fields) {
      const line = logRecord(level, msg, fields);
      flush();
      write(pretty ? `${prettyLine(line.trimEnd())}\n` : line);
    },
    flush,
  };
}
