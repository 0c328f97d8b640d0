// The JSON form of an anomaly shared by the admin API and `pipegate anomalies --json` (ISO times).
import type { Anomaly } from '../../store/anomaly-records.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** An anomaly as the API and CLI show it. */
export function anomalyJson(a: Anomaly): Record<string, unknown> {
  return {
    id: a.id,
    rule: a.rule,
    severity: a.severity,
    status: a.status,
    realm: a.realm,
    environment: a.environment,
    subject: a.subject,
    consumer: a.consumer,
    jti: a.jti,
    clientIps: a.clientIps,
    count: a.count,
    firstSeen: iso(a.firstSeen),
    lastSeen: iso(a.lastSeen),
    sampleExecutionKeys: a.sampleExecutionKeys,
    response: a.response,
    acknowledgedAt: iso(a.acknowledgedAt),
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: iso(a.resolvedAt),
    resolvedBy: a.resolvedBy,
  };
}
