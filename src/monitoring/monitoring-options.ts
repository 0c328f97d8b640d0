// Monitoring settings of a gateway (serve flags, PIPEGATE_* variables, later the configuration file).
import { PlatformError } from '../errors/index.js';
import { defaultRetentionDays } from './retention.js';

/** What a gateway records and how long it keeps it (docs/monitoring.md "Settings"). */
export interface MonitoringOptions {
  /** Write execution records and pipeline log lines (default true; PIPEGATE_RECORD_EXECUTIONS=false turns it off). */
  record?: boolean;
  /** Days executions, logs and usage events are kept (default 3 in test, 10 in prod; PIPEGATE_RETENTION_DAYS): one number or one per environment name. */
  retentionDays?: number | Readonly<Record<string, number>>;
  /** Period of the retention purge in ms (default 600,000). */
  purgeIntervalMs?: number;
  /** Bound of each monitoring write queue, in records (default 20,000). */
  maxQueue?: number;
  /** Window over which refused-request usage events are aggregated, in ms (default 60,000). */
  refusalWindowMs?: number;
}

export type ResolvedMonitoring = Required<Omit<MonitoringOptions, 'retentionDays'>> & { retentionDays: number };

function invalid(option: string, reason: string): PlatformError {
  return new PlatformError('ERR_GATEWAY_CONFIG', { option, reason });
}

function positive(option: string, value: number | string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw invalid(option, `"${value}" must be a positive number`);
  return n;
}

function flag(option: string, value: boolean | string | undefined): boolean {
  if (value === undefined || value === '') return true;
  if (typeof value === 'boolean') return value;
  if (/^(true|1|on|yes)$/i.test(value)) return true;
  if (/^(false|0|off|no)$/i.test(value)) return false;
  throw invalid(option, `"${value}" must be true or false`);
}

/** A per-environment table (pipegate.yaml `monitoring.retentionDays: {test: 3, prod: 10}`) or one number. */
function daysFor(
  days: number | Readonly<Record<string, number>> | undefined,
  environment: string,
): number | undefined {
  return typeof days === 'object' ? days[environment] : days;
}

/** Applies defaults and PIPEGATE_* overrides (explicit options win), validating each value. */
export function resolveMonitoring(
  o: MonitoringOptions = {},
  env: NodeJS.ProcessEnv,
  environment: string,
): ResolvedMonitoring {
  return {
    record: flag('record', o.record ?? env.PIPEGATE_RECORD_EXECUTIONS),
    retentionDays: positive(
      'retentionDays',
      daysFor(o.retentionDays, environment) ?? env.PIPEGATE_RETENTION_DAYS,
      defaultRetentionDays(environment),
    ),
    purgeIntervalMs: positive('purgeIntervalMs', o.purgeIntervalMs, 600_000),
    maxQueue: positive('maxQueue', o.maxQueue, 20_000),
    refusalWindowMs: positive('refusalWindowMs', o.refusalWindowMs, 60_000),
  };
}
