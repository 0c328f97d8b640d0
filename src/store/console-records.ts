// Records of the console's store repositories: the audit log and the aggregations behind the console pages.
import type { JsonObject } from '../core/json.js';

/** One audited state change (docs/console.md "Audit log"). Never holds a secret. */
export interface AuditEntry {
  /** Increasing per store (the list order and the cursor). */
  id: number;
  environment: string;
  /** Epoch ms. */
  at: number;
  /** Who: `admin:<username>` (Basic or console session). */
  actor: string;
  /** What, e.g. `deployment.rollback`, `consumer.create`, `console.sign-in`. */
  action: string;
  /** On what, e.g. `orders/1`, a consumer name, a jti; null when the action has no target. */
  target: string | null;
  clientIp: string | null;
  outcome: 'success' | 'failure';
  /** The HTTP status answered. */
  status: number | null;
  /** Non-secret facts (an error code, a key id, a revocation kind). */
  details: JsonObject | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'environment'>;

export interface AuditQuery {
  /** Page size, 1-1000 (default 100). */
  limit?: number;
  /** Entries with id < beforeId (the next older page). */
  beforeId?: number;
  actor?: string;
  action?: string;
  /** Epoch ms, inclusive / exclusive. */
  from?: number;
  to?: number;
}

/** Counters of the overview page. */
export interface OverviewCounters {
  pipelines: number;
  consumers: number;
  accounts: number;
  tokensIssuedToday: number;
  openAnomalies: number;
}

/** Executions of one pipeline major over a period (the overview's top list). */
export interface PipelineTotals {
  pipeline: string;
  versionMajor: number;
  /** The highest minor executed in the period. */
  versionMinor: number;
  total: number;
  failed: number;
  avgMs: number;
}

/**
 * Execution durations are counted in these classes (upper bounds, ms; the last class is open) so a
 * percentile is computed from counts in SQL instead of sorting every row (docs/console.md).
 */
export const DURATION_BOUNDS_MS: readonly number[] = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000,
];

/** One time bucket of executions: counts, sums and the duration histogram. */
export interface ExecutionBucket {
  /** Bucket start, epoch ms. */
  t: number;
  total: number;
  failed: number;
  sumMs: number;
  /** Largest duration in the bucket (caps the open last class). */
  maxMs: number;
  requestBytes: number;
  responseBytes: number;
  /** Counts per DURATION_BOUNDS_MS class (length DURATION_BOUNDS_MS.length + 1). */
  histogram: number[];
}

export interface SeriesQuery {
  from: number;
  to: number;
  bucketMs: number;
  /** One pipeline only (per-pipeline metrics). */
  pipeline?: string;
}

/** Token usage of one consumer or one token over a period. */
export interface TokenUsageTotals {
  consumer: string | null;
  /** Set in per-token rows. */
  jti: string | null;
  /** Sum of event counts. */
  total: number;
  /** Event counts per outcome (`ok`, `refused`, …). */
  outcomes: Record<string, number>;
  /** Per event kind (`issued`, `presented`, …). */
  kinds: Record<string, number>;
  /** Distinct client IPs, most used first (at most 20). */
  clientIps: string[];
  firstSeen: number;
  lastSeen: number;
}

export interface TokenSummaryQuery {
  from: number;
  to: number;
  consumer?: string;
  /** Most recently seen tokens returned (default 100). */
  tokenLimit?: number;
}
