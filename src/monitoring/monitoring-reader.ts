// Reads executions, logs and token usage for the CLI and the admin API: pages, views and the CSV export.
import { PlatformError } from '../errors/index.js';
import type { ExecutionRecord, LogRecord, TokenUsageEvent } from '../store/records.js';
import type { Store } from '../store/store.js';
import { encodeCursor, executionQuery, logQuery, usageQuery } from './monitoring-filters.js';
import type { FilterInput } from './monitoring-filters.js';

/** An execution as listed (no messages) and shown (with them). */
export interface ExecutionView {
  executionKey: string;
  realm: string | null;
  environment: string;
  pipeline: string;
  version: string;
  trigger: { method: string | null; route: string | null };
  consumer: string | null;
  jti: string | null;
  clientIp: string | null;
  outcome: string;
  httpStatus: number | null;
  errorCode: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
  requestBytes: number | null;
  responseBytes: number | null;
  request?: unknown;
  response?: unknown;
}

/** A log line as returned. */
export interface LogView {
  id: number | null;
  timestamp: string;
  level: string;
  executionKey: string;
  realm: string | null;
  pipeline: string;
  version: string | null;
  step: string | null;
  message: string;
}

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** The stored execution as the API and `--json` show it. */
export function executionView(e: ExecutionRecord, withMessages: boolean): ExecutionView {
  const view: ExecutionView = {
    executionKey: e.executionKey,
    realm: e.realm ?? null,
    environment: e.environment,
    pipeline: e.pipeline,
    version: `${e.versionMajor}.${e.versionMinor}`,
    trigger: { method: e.method ?? null, route: e.route ?? null },
    consumer: e.consumer ?? null,
    jti: e.jti ?? null,
    clientIp: e.clientIp ?? null,
    outcome: e.outcome ?? (e.status === 'success' ? 'response' : 'error'),
    httpStatus: e.httpStatus ?? null,
    errorCode: e.errorCode,
    startedAt: iso(e.startedAt)!,
    endedAt: iso(e.endedAt),
    durationMs: Math.round(e.durationMs * 1000) / 1000,
    requestBytes: e.requestBytes ?? null,
    responseBytes: e.responseBytes ?? null,
  };
  if (withMessages) {
    view.request = e.request;
    view.response = e.response;
  }
  return view;
}

export function logView(l: LogRecord): LogView {
  return {
    id: l.id ?? null,
    timestamp: iso(l.timestamp)!,
    level: l.level,
    executionKey: l.executionKey,
    realm: l.realm ?? null,
    pipeline: l.pipeline,
    version:
      l.versionMajor === null || l.versionMajor === undefined
        ? null
        : `${l.versionMajor}.${l.versionMinor ?? 0}`,
    step: l.step,
    message: l.message,
  };
}

/** A page of executions, newest first; `nextCursor` is null on the last page. */
export async function listExecutions(
  store: Store,
  env: string,
  f: FilterInput,
  now = Date.now(),
): Promise<{ executions: ExecutionView[]; nextCursor: string | null }> {
  const q = executionQuery(f, now);
  const rows = await store.executions.query(env, { ...q, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    executions: page.map((e) => executionView(e, false)),
    nextCursor:
      rows.length > q.limit && last ? encodeCursor([last.startedAt, last.executionKey]) : null,
  };
}

/** One execution with its messages and log lines; ERR_MONITORING_EXECUTION_NOT_FOUND when absent. */
export async function showExecution(
  store: Store,
  env: string,
  key: string,
): Promise<{ execution: ExecutionView; logs: LogView[] }> {
  const e = await store.executions.get(env, key);
  const logs = await store.logs.query(env, { executionKey: key, limit: 10_000 });
  if (!e) throw new PlatformError('ERR_MONITORING_EXECUTION_NOT_FOUND', { key, environment: env });
  return { execution: executionView(e, true), logs: logs.map(logView) };
}

/** A page of log lines (the newest page, oldest first within it); the cursor goes further back. */
export async function listLogs(
  store: Store,
  env: string,
  f: FilterInput,
  now = Date.now(),
): Promise<{ logs: LogView[]; nextCursor: string | null }> {
  const q = logQuery(f, now);
  const rows = await store.logs.query(env, { ...q, limit: q.limit + 1 });
  // Rows come oldest first: the extra (oldest) row, if any, is the first one.
  const more = rows.length > q.limit;
  const page = more ? rows.slice(1) : rows;
  const first = page[0];
  return {
    logs: page.map(logView),
    nextCursor: more && first?.id !== undefined ? encodeCursor([first.id]) : null,
  };
}

/** A page of token usage events, newest first. */
export async function listUsage(
  store: Store,
  env: string,
  f: FilterInput,
  now = Date.now(),
): Promise<{ events: TokenUsageEvent[]; nextCursor: string | null }> {
  const q = usageQuery(f, now);
  const rows = await store.usage.query(env, { ...q, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    events: page,
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.time, last.id]) : null,
  };
}

/** The CSV header of the log export (the reference platform's columns, `;`-separated). */
export const LOG_CSV_HEADER = 'timestamp;realm;pipelineKey;pipelineName;logLevel;logMessage';

function csvField(v: string): string {
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One execution's log lines as CSV; `pipelineKey` is the execution key. */
export function logsCsv(lines: readonly LogRecord[], realm: string): string {
  const rows = lines.map((l) =>
    [
      new Date(l.timestamp).toISOString(),
      l.realm ?? realm,
      l.executionKey,
      l.pipeline,
      l.level,
      l.message,
    ]
      .map(csvField)
      .join(';'),
  );
  return `${[LOG_CSV_HEADER, ...rows].join('\r\n')}\r\n`;
}
