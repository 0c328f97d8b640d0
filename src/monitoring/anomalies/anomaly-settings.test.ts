// Anomaly settings: defaults, the serve flags, and coded refusals of bad values.
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../errors/index.js';
import {
  DEFAULT_THRESHOLDS,
  anomalyInputFromFlags,
  resolveAnomalySettings,
} from './anomaly-settings.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return isPlatformError(err) ? `${err.code}:${String(err.details.option)}` : String(err);
  }
  return undefined;
};

describe('anomaly settings', () => {
  it('defaults to the issue thresholds, detection on, no responses, no alerts', () => {
    const s = resolveAnomalySettings();
    expect(s.enabled).toBe(true);
    expect(s.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(s.thresholds.token_multi_ip).toEqual({ ips: 3, windowMs: 600_000 });
    expect(s.thresholds.auth_failure_burst).toEqual({ count: 20, windowMs: 60_000 });
    expect(s.thresholds.token_rate_spike).toEqual({ factor: 10, min: 100 });
    expect(s.responses).toEqual({});
    expect(s.alerts).toEqual({ webhook: null, secret: null });
    expect(Object.isFrozen(s.thresholds)).toBe(true);
  });

  it('maps the serve flags (and the environment) onto the typed settings', () => {
    const s = resolveAnomalySettings(
      anomalyInputFromFlags(
        {
          thresholds: [
            'token_multi_ip.ips=4',
            'token_multi_ip.window=15m',
            'token_rate_spike.min=500',
          ],
          responses: ['token_multi_ip=revoke-token', 'issuance_burst=disable-consumer'],
          webhook: 'https://alerts.example/hook',
        },
        { PIPEGATE_ALERT_SECRET: 'from-env' },
      ),
    );
    expect(s.thresholds.token_multi_ip).toEqual({ ips: 4, windowMs: 900_000 });
    expect(s.thresholds.token_rate_spike).toEqual({ factor: 10, min: 500 });
    expect(s.thresholds.forged_token).toEqual(DEFAULT_THRESHOLDS.forged_token);
    expect(s.responses).toEqual({
      token_multi_ip: 'revoke-token',
      issuance_burst: 'disable-consumer',
    });
    expect(s.alerts).toEqual({ webhook: 'https://alerts.example/hook', secret: 'from-env' });
    expect(resolveAnomalySettings(anomalyInputFromFlags({ detection: 'off' })).enabled).toBe(false);
  });

  it('refuses unknown rules, parameters, actions and malformed values with ERR_ANOMALY_CONFIG', () => {
    const r = (flags: Parameters<typeof anomalyInputFromFlags>[0]) => () =>
      resolveAnomalySettings(anomalyInputFromFlags(flags));
    expect(codeOf(r({ thresholds: ['nope.count=3'] }))).toBe('ERR_ANOMALY_CONFIG:nope');
    expect(codeOf(r({ thresholds: ['forged_token.ips=3'] }))).toBe(
      'ERR_ANOMALY_CONFIG:forged_token.ips',
    );
    expect(codeOf(r({ thresholds: ['forged_token.count=0'] }))).toBe(
      'ERR_ANOMALY_CONFIG:forged_token.count',
    );
    expect(codeOf(r({ thresholds: ['forged_token.window=1s'] }))).toBe(
      'ERR_ANOMALY_CONFIG:forged_token.window',
    );
    expect(codeOf(r({ thresholds: ['forged_token'] }))).toBe(
      'ERR_ANOMALY_CONFIG:anomaly-threshold',
    );
    expect(codeOf(r({ responses: ['forged_token=revoke-token'] }))).toBe(
      'ERR_ANOMALY_CONFIG:forged_token',
    );
    expect(codeOf(r({ responses: ['token_multi_ip=ban'] }))).toBe(
      'ERR_ANOMALY_CONFIG:token_multi_ip',
    );
    expect(codeOf(r({ webhook: 'ftp://x' }))).toBe('ERR_ANOMALY_CONFIG:alert-webhook');
    expect(codeOf(r({ secret: 'x' }))).toBe('ERR_ANOMALY_CONFIG:alert-secret');
    expect(codeOf(r({ detection: 'maybe' }))).toBe('ERR_ANOMALY_CONFIG:anomaly-detection');
  });
});
