// Monitoring inserts (usage events, executions, logs) on a worker thread with its own SQLite connection.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { PlatformError } from '../../errors/index.js';

/** Rows per INSERT statement, largest first (a count is written as a sum of these). */
const CHUNK_SIZES = [32, 8, 2, 1];
/** Shared-column patterns given statements of their own, per table (the first ones seen). */
const PATTERNS_PER_TABLE = 8;

/*
 * better-sqlite3 is synchronous: a batch insert and its commit (and the WAL checkpoint a commit may
 * trigger) would otherwise stop the event loop for milliseconds at a time, which every request in
 * flight feels at its p99 (bench/gateway-jwt.md). The worker owns a second connection to the same
 * file; WAL lets the main connection read meanwhile, and the worker may block on SQLite's
 * busy_timeout without blocking requests. The worker is plain CommonJS evaluated from a string so
 * that it runs the same from src/ (tests) and dist/.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = ${5000}');
// Checkpoints are this thread's job while it runs (the event loop's connection has them off, see
// SqliteBulkWriter): after its own commits (SQLite's auto-checkpoint) and once a second for the
// frames the other connection appended. PASSIVE never waits for readers or writers.
const checkpoints = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, ${1000});
// Rows go in multi-row statements of ${CHUNK_SIZES.join(', ')} rows (the count written as a sum of those):
// a batch of 250 takes 11 statement runs per table instead of 250. A column whose rows all hold one
// value (see encodeColumns) is a named parameter, bound once per run however many rows use it; the
// other columns are positional, one value per row. OR FAIL, not the default ABORT: a multi-row
// statement that may abort needs a statement journal (a copy of every page it changes); the
// transaction is rolled back on any error either way.
const CHUNKS = ${JSON.stringify(CHUNK_SIZES)};
// Per table (and column list): the shared-column patterns with statements of their own, as strings
// of 0/1. Only the first ${PATTERNS_PER_TABLE} patterns seen get one, so that batches whose patterns keep changing
// cannot make the thread prepare statements (~0.3 ms for ${CHUNK_SIZES[0]} rows of 22 columns) over and over: a
// batch uses the known pattern with the most of its shared columns (its other shared columns bound
// per row), at worst the one with none. The statements are prepared once and kept.
const tables = new Map();
function pattern(p) {
  const key = p.table + '(' + p.columns.join(',') + ')' + (p.onConflict || '');
  let t = tables.get(key);
  if (!t) {
    t = { head: 'INSERT OR FAIL INTO ' + p.table + ' (' + p.columns.join(', ') + ') VALUES ', patterns: new Map() };
    tables.set(key, t);
  }
  const wanted = p.shared.map((s) => (s ? '1' : '0')).join('');
  let best = t.patterns.get(wanted);
  if (!best && t.patterns.size < ${PATTERNS_PER_TABLE}) {
    best = { mask: wanted, statements: new Map() };
    t.patterns.set(wanted, best);
  }
  if (!best) {
    let most = -1;
    for (const candidate of t.patterns.values()) {
      const m = candidate.mask;
      let n = 0;
      for (let j = 0; j < m.length && n >= 0; j++) if (m[j] === '1') n = wanted[j] === '1' ? n + 1 : -1;
      if (n > most) { most = n; best = candidate; }
    }
    if (!best) {
      const none = '0'.repeat(wanted.length);
      best = { mask: none, statements: new Map() };
      t.patterns.set(none, best);
    }
  }
  return { t, best };
}
function writePart(p) {
  const { count, values } = p;
  const { t, best } = pattern(p);
  const mask = best.mask;
  const named = {};
  let hasNamed = false;
  // Per positional column: its values (one per row) or, when every row shares it, the value.
  const perRow = [];
  const sharedValue = [];
  for (let j = 0; j < mask.length; j++) {
    if (mask[j] === '1') { named['s' + j] = values[j]; hasNamed = true; }
    else if (p.shared[j]) { perRow.push(null); sharedValue.push(values[j]); }
    else { perRow.push(values[j]); sharedValue.push(undefined); }
  }
  const flat = [];
  let i = 0;
  for (const size of CHUNKS) {
    if (count - i < size) continue;
    let stmt = best.statements.get(size);
    if (!stmt) {
      const tuple = '(' + p.columns.map((c, j) => (mask[j] === '1' ? '@s' + j : '?')).join(', ') + ')';
      stmt = db.prepare(t.head + new Array(size).fill(tuple).join(', ') + (p.onConflict || ''));
      best.statements.set(size, stmt);
    }
    for (; count - i >= size; i += size) {
      flat.length = 0;
      for (let r = i; r < i + size; r++)
        for (let v = 0; v < perRow.length; v++) flat.push(perRow[v] === null ? sharedValue[v] : perRow[v][r]);
      if (hasNamed) stmt.run(named, flat); else stmt.run(flat);
    }
  }
}
parentPort.on('message', (m) => {
  if (m.type === 'close') { clearInterval(checkpoints); db.close(); parentPort.postMessage({ type: 'closed' }); return; }
  try {
    // One transaction for every part of the message (an execution batch, its log lines and their
    // rollups), in the order given.
    db.transaction(() => {
      for (const p of m.parts) writePart(p);
    }).immediate();
    parentPort.postMessage({ id: m.id });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: { code: err && err.code, message: String(err && err.message) } });
  }
});
`;

/** A part as sent to the worker: column by column, a column whose rows all hold one value sent once. */
export interface EncodedPart {
  table: string;
  columns: readonly string[];
  onConflict?: string;
  count: number;
  /** Per column: true when `values[j]` is the value of every row, false when it is one value per row. */
  shared: boolean[];
  values: unknown[];
}

/**
 * Encodes rows column by column, each value passed through `bind`. A batch's executions mostly share
 * their environment, pipeline, version, realm, route, status… (log lines even more): those are cloned
 * to the worker once per batch instead of once per row, and no per-row array is cloned at all.
 */
export function encodeColumns(
  part: {
    table: string;
    columns: readonly string[];
    rows: readonly (readonly unknown[])[];
    onConflict?: string;
  },
  bind: (value: unknown) => unknown,
): EncodedPart {
  const { rows, columns } = part;
  const shared: boolean[] = [];
  const values: unknown[] = [];
  for (let j = 0; j < columns.length; j++) {
    const first = bind(rows[0]![j]);
    let same = true;
    for (let i = 1; i < rows.length && same; i++) same = Object.is(rows[i]![j], rows[0]![j]);
    if (same) {
      shared.push(true);
      values.push(first);
    } else {
      // Filled by push, not `new Array(n)`: a holey array is cloned as a sparse one (every element
      // written and read as an indexed property), several times slower on both threads.
      const col: unknown[] = [first];
      for (let i = 1; i < rows.length; i++) col.push(bind(rows[i]![j]));
      shared.push(false);
      values.push(col);
    }
  }
  return {
    table: part.table,
    columns,
    ...(part.onConflict !== undefined ? { onConflict: part.onConflict } : {}),
    count: rows.length,
    shared,
    values,
  };
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Sends bulk inserts to the worker; one instance per SQLite file connection. */
export class SqliteBulkWriter {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #inflight = new Set<Promise<void>>();
  /** Once closed, no worker is started again (it would write to a store its owner closed). */
  #closed = false;

  /**
   * `hooks.started` runs when the worker thread starts, `hooks.stopped` when it is gone: the owner
   * turns its own connection's WAL auto-checkpoint off meanwhile, so that no commit on the event loop
   * copies the WAL into the database (bench/workers.md: with two workers on one file that made a
   * request's COMMIT 3 → 22 µs); the worker checkpoints instead.
   */
  constructor(
    private readonly path: string,
    private readonly hooks: { started?(): void; stopped?(): void } = {},
  ) {}

  #start(): Worker {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path: this.path, modulePath },
    });
    worker.unref();
    worker.on('message', (m: { id?: number; error?: { code?: string; message: string } }) => {
      if (m.id === undefined) return;
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (!p) return;
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else p.resolve();
    });
    worker.on('error', (err) => this.#failAll(err));
    worker.on('exit', () => {
      this.#worker = undefined;
      this.hooks.stopped?.();
      this.#failAll(new Error('bulk writer stopped'));
    });
    this.hooks.started?.();
    return worker;
  }

  #failAll(err: Error): void {
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  /** Inserts the rows of every part (encoded and bound by encodeColumns) in one transaction. */
  insert(parts: readonly EncodedPart[]): Promise<void> {
    if (this.#closed) return Promise.reject(new PlatformError('ERR_STORE_CLOSED'));
    const worker = (this.#worker ??= this.#start());
    const id = this.#nextId++;
    const done = new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, parts });
    });
    const tracked = done.then(
      () => void this.#inflight.delete(tracked),
      () => void this.#inflight.delete(tracked),
    );
    this.#inflight.add(tracked);
    return done;
  }

  /** Waits for the inserts under way, then closes the worker's connection. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (!worker) return;
    await Promise.allSettled([...this.#inflight]);
    const closed = new Promise<void>((r) =>
      worker.once('message', (m: { type?: string }) => m.type === 'closed' && r()),
    );
    worker.postMessage({ type: 'close' });
    await Promise.race([closed, new Promise<void>((r) => setTimeout(r, 2000).unref())]);
    await worker.terminate();
    this.#worker = undefined;
  }
}
