// Anomaly detection settings: the rules, their default thresholds, automatic responses and alerts, validated once.
import { PlatformError } from '../../errors/index.js';
import type { AnomalyRule, AnomalySeverity } from '../../store/anomaly-records.js';

/** Every rule, in documentation order. */
export const ANOMALY_RULES: readonly AnomalyRule[] = [
  'revoked_token_use',
  'token_multi_ip',
  'expired_token_replay',
  'forged_token',
  'auth_failure_burst',
  'token_rate_spike',
  'issuance_burst',
  'disabled_consumer_use',
];

/** Severity of each rule's anomalies. */
export const RULE_SEVERITY: Readonly<Record<AnomalyRule, AnomalySeverity>> = {
  revoked_token_use: 'high',
  token_multi_ip: 'high',
  expired_token_replay: 'medium',
  forged_token: 'high',
  auth_failure_burst: 'medium',
  token_rate_spike: 'medium',
  issuance_burst: 'medium',
  disabled_consumer_use: 'high',
};

/** At least `count` matching events within `windowMs`. */
export interface CountThreshold {
  count: number;
  windowMs: number;
}

/** The thresholds, one object per rule, keyed as in the configuration file (`anomalies.thresholds`). */
export interface AnomalyThresholds {
  revoked_token_use: CountThreshold;
  /** `ips` distinct client IPs for one jti within `windowMs`. */
  token_multi_ip: { ips: number; windowMs: number };
  expired_token_replay: CountThreshold;
  forged_token: CountThreshold;
  auth_failure_burst: CountThreshold;
  /** Requests of one token in the last minute ≥ `factor` × its trailing hourly per-minute mean, and ≥ `min`. */
  token_rate_spike: { factor: number; min: number };
  issuance_burst: CountThreshold;
  disabled_consumer_use: CountThreshold;
}

export const DEFAULT_THRESHOLDS: Readonly<AnomalyThresholds> = Object.freeze({
  revoked_token_use: { count: 1, windowMs: 600_000 },
  token_multi_ip: { ips: 3, windowMs: 600_000 },
  expired_token_replay: { count: 5, windowMs: 600_000 },
  forged_token: { count: 5, windowMs: 600_000 },
  auth_failure_burst: { count: 20, windowMs: 60_000 },
  token_rate_spike: { factor: 10, min: 100 },
  issuance_burst: { count: 60, windowMs: 60_000 },
  disabled_consumer_use: { count: 1, windowMs: 600_000 },
});

/** Automatic responses (off unless configured per rule). */
export type AutoResponse = 'revoke-token' | 'disable-consumer';

/** Rules whose subject is one token: `revoke-token` applies to them. */
const TOKEN_RULES = new Set<AnomalyRule>([
  'revoked_token_use',
  'token_multi_ip',
  'expired_token_replay',
  'token_rate_spike',
]);

/** Resolved settings (frozen). */
export interface AnomalySettings {
  enabled: boolean;
  thresholds: AnomalyThresholds;
  responses: Partial<Record<AnomalyRule, AutoResponse>>;
  alerts: { webhook: string | null; secret: string | null };
}

/**
 * What a user may give (the `serve` flags now, a configuration section later): every member
 * optional; windows as milliseconds or durations (`90s`, `10m`, `1h`); threshold values as numbers
 * or numeric strings.
 */
export interface AnomalySettingsInput {
  enabled?: boolean;
  thresholds?: { [rule: string]: { [param: string]: number | string } };
  responses?: { [rule: string]: string };
  alerts?: { webhook?: string | null; secret?: string | null };
}

function bad(option: string, reason: string): PlatformError {
  return new PlatformError('ERR_ANOMALY_CONFIG', { option, reason });
}

/** A duration: ms as a number or digits, or `<n>ms|s|m|h`. */
export function parseDurationMs(option: string, v: number | string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(String(v).trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  const ms = m ? Number(m[1]) * unit[(m[2] ?? 'ms') as keyof typeof unit] : NaN;
  if (!Number.isSafeInteger(ms) || ms < 10_000 || ms > 86_400_000)
    throw bad(option, `"${v}" is not a duration between 10s and 24h (e.g. 90s, 10m, 1h)`);
  return ms;
}

function parsePositive(option: string, v: number | string): number {
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n) || n < 1 || n > 1_000_000_000)
    throw bad(option, `"${v}" is not a number from 1 to 1000000000`);
  return n;
}

function isRule(name: string): name is AnomalyRule {
  return (ANOMALY_RULES as readonly string[]).includes(name);
}

function ruleThreshold(
  rule: AnomalyRule,
  given: { [param: string]: number | string },
): AnomalyThresholds[AnomalyRule] {
  const base: Record<string, number> = { ...DEFAULT_THRESHOLDS[rule] };
  for (const [param, value] of Object.entries(given)) {
    const option = `${rule}.${param}`;
    const key = param === 'window' ? 'windowMs' : param;
    if (!(key in base))
      throw bad(
        option,
        `${rule} takes ${Object.keys(base)
          .map((k) => (k === 'windowMs' ? 'window' : k))
          .join(', ')}`,
      );
    base[key] = key === 'windowMs' ? parseDurationMs(option, value) : parsePositive(option, value);
  }
  return base as unknown as AnomalyThresholds[AnomalyRule];
}

/** Validates and freezes settings; unknown rules, parameters or actions are ERR_ANOMALY_CONFIG. */
export function resolveAnomalySettings(input: AnomalySettingsInput = {}): AnomalySettings {
  const thresholds = { ...DEFAULT_THRESHOLDS } as AnomalyThresholds;
  for (const [rule, given] of Object.entries(input.thresholds ?? {})) {
    if (!isRule(rule)) throw bad(rule, `unknown rule; rules are ${ANOMALY_RULES.join(', ')}`);
    (thresholds as unknown as Record<string, unknown>)[rule] = ruleThreshold(rule, given);
  }
  const responses: Partial<Record<AnomalyRule, AutoResponse>> = {};
  for (const [rule, action] of Object.entries(input.responses ?? {})) {
    if (!isRule(rule)) throw bad(rule, `unknown rule; rules are ${ANOMALY_RULES.join(', ')}`);
    if (action === 'off' || action === 'none') continue;
    if (action !== 'revoke-token' && action !== 'disable-consumer')
      throw bad(rule, `"${action}" is not revoke-token, disable-consumer or off`);
    if (action === 'revoke-token' && !TOKEN_RULES.has(rule))
      throw bad(rule, `revoke-token needs a rule about one token (${[...TOKEN_RULES].join(', ')})`);
    if (action === 'disable-consumer' && rule === 'forged_token')
      throw bad(rule, 'forged tokens name no consumer: disable-consumer cannot apply');
    responses[rule] = action;
  }
  const webhook = input.alerts?.webhook ?? null;
  if (webhook !== null && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(webhook))
    throw bad('alert-webhook', 'expected an http(s) URL');
  const secret = input.alerts?.secret ?? null;
  if (secret !== null && secret.length === 0) throw bad('alert-secret', 'must not be empty');
  if (secret !== null && webhook === null)
    throw bad('alert-secret', 'needs --alert-webhook (the secret signs webhook bodies)');
  return Object.freeze({
    enabled: input.enabled ?? true,
    thresholds: Object.freeze(thresholds),
    responses: Object.freeze(responses),
    alerts: Object.freeze({ webhook, secret }),
  });
}

/**
 * The `serve` flags as settings input: `--anomaly-threshold rule.param=value` (repeatable),
 * `--anomaly-response rule=action` (repeatable), `--anomaly-detection on|off`, `--alert-webhook`,
 * `--alert-secret` (or PIPEGATE_ALERT_WEBHOOK / PIPEGATE_ALERT_SECRET, so the secret stays out of `ps`).
 */
export function anomalyInputFromFlags(
  flags: {
    thresholds?: string[];
    responses?: string[];
    detection?: string;
    webhook?: string;
    secret?: string;
  },
  env: NodeJS.ProcessEnv = {},
): AnomalySettingsInput {
  const thresholds: Record<string, Record<string, string>> = {};
  for (const t of flags.thresholds ?? []) {
    const m = /^([a-z_]+)\.([a-zA-Z]+)=(.+)$/.exec(t.trim());
    if (!m)
      throw bad('anomaly-threshold', `"${t}" is not rule.param=value (e.g. token_multi_ip.ips=4)`);
    (thresholds[m[1]!] ??= {})[m[2]!] = m[3]!;
  }
  const responses: Record<string, string> = {};
  for (const r of flags.responses ?? []) {
    const m = /^([a-z_]+)=([a-z-]+)$/.exec(r.trim());
    if (!m)
      throw bad('anomaly-response', `"${r}" is not rule=action (e.g. token_multi_ip=revoke-token)`);
    responses[m[1]!] = m[2]!;
  }
  const detection = flags.detection ?? env.PIPEGATE_ANOMALY_DETECTION;
  if (detection !== undefined && detection !== 'on' && detection !== 'off')
    throw bad('anomaly-detection', `"${detection}" is not on or off`);
  return {
    enabled: detection !== 'off',
    thresholds,
    responses,
    alerts: {
      webhook: flags.webhook ?? env.PIPEGATE_ALERT_WEBHOOK ?? null,
      secret: flags.secret ?? env.PIPEGATE_ALERT_SECRET ?? null,
    },
  };
}

/**
 * Combines the configuration file's `anomalies`/`alerts` sections (already merged with their
 * PIPEGATE_* variables and flags) with the repeatable `serve` flags: a flag's threshold wins over the
 * file's for the same rule and parameter; alerts come from the configuration, then the flags.
 */
export function mergeAnomalySettings(
  fromConfig: AnomalySettingsInput | undefined,
  fromFlags: AnomalySettingsInput,
): AnomalySettingsInput {
  const thresholds: NonNullable<AnomalySettingsInput['thresholds']> = {};
  for (const source of [fromConfig?.thresholds ?? {}, fromFlags.thresholds ?? {}])
    for (const [rule, params] of Object.entries(source))
      thresholds[rule] = { ...thresholds[rule], ...params };
  return {
    enabled: fromConfig?.enabled === false ? false : fromFlags.enabled,
    thresholds,
    responses: { ...fromConfig?.responses, ...fromFlags.responses },
    alerts: {
      webhook: fromConfig?.alerts?.webhook ?? fromFlags.alerts?.webhook ?? null,
      secret: fromFlags.alerts?.secret ?? fromConfig?.alerts?.secret ?? null,
    },
  };
}
