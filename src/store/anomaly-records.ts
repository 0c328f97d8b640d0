// Records of anomaly detection (docs/anomalies.md): anomalies and the shared window counters.

/** The anomaly rules (docs/anomalies.md "Rules"). */
export type AnomalyRule =
  | 'revoked_token_use'
  | 'token_multi_ip'
  | 'expired_token_replay'
  | 'forged_token'
  | 'auth_failure_burst'
  | 'token_rate_spike'
  | 'issuance_burst'
  | 'disabled_consumer_use';

export type AnomalySeverity = 'low' | 'medium' | 'high';

/** open → acknowledged → resolved (a resolved anomaly stays resolved; the next firing opens a new one). */
export type AnomalyStatus = 'open' | 'acknowledged' | 'resolved';

/** A detected anomaly. Never holds a secret: jti, consumer names and client IPs only. */
export interface Anomaly {
  id: string;
  environment: string;
  rule: AnomalyRule;
  /** What the rule counts per: `jti:<id>`, `ip:<addr>`, `consumer:<name>`, … (one live anomaly per rule and subject). */
  subject: string;
  severity: AnomalySeverity;
  realm: string;
  consumer: string | null;
  jti: string | null;
  /** Distinct client IPs seen (at most 20, first seen first). */
  clientIps: string[];
  /** Execution keys of some of the requests involved (at most 10). */
  sampleExecutionKeys: string[];
  firstSeen: number;
  lastSeen: number;
  /** Matching events: the window's count when raised, plus every later matching event while live. */
  count: number;
  status: AnomalyStatus;
  /** The automatic response taken when it was raised (`revoke-token`, `disable-consumer`), or null. */
  response: string | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  updatedAt: number;
}

/** What a detector reports when a rule's condition holds for a subject. */
export interface AnomalyObservation {
  rule: AnomalyRule;
  subject: string;
  severity: AnomalySeverity;
  realm: string;
  consumer: string | null;
  jti: string | null;
  clientIps: string[];
  sampleExecutionKeys: string[];
  firstSeen: number;
  lastSeen: number;
  /** Count of a new anomaly (the window's total). */
  windowCount: number;
  /** Added to the count of the live anomaly when one exists (events seen since the last report). */
  newEvents: number;
}

/** One increment of a window counter (bucket = start of a 10-second slice, epoch ms). */
export interface AnomalyCount {
  rule: string;
  subject: string;
  bucket: number;
  count: number;
}

/** Filters of AnomalyRepository.list; newest first (by firstSeen). */
export interface AnomalyQuery {
  status?: AnomalyStatus;
  rule?: string;
  consumer?: string;
  jti?: string;
  /** firstSeen at or after (epoch ms). */
  since?: number;
  until?: number;
  limit?: number;
  /** Opaque cursor returned as `nextCursor` by a previous page. */
  cursor?: string;
}

/** Which alert a claimed anomaly needs: its opening, or its resolution. */
export type AnomalyAlertKind = 'opened' | 'resolved';
