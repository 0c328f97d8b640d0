// Settings of the OAuth 2.0 endpoints: the rate limit (PIPEGATE_OAUTH_RATE_LIMIT).
import { PlatformError } from '../../errors/index.js';
import { INTERVAL_MS } from '../../deployments/trigger-config.js';
import type { RateInterval, RateLimitPolicy } from '../../deployments/trigger-config.js';

/** Default quota per endpoint and client (consumer, or address before authentication). */
export const DEFAULT_OAUTH_RATE_LIMIT = '20/second,600/minute';

export interface OAuthSettings {
  rateLimit: RateLimitPolicy;
}

/**
 * Parses `N/interval[,N/interval…]` (intervals: second, minute, hour, day, month), e.g.
 * `10/second,300/minute`. A bad value fails the start with ERR_GATEWAY_CONFIG.
 */
export function parseOAuthRateLimit(text: string): RateLimitPolicy {
  const limits: RateLimitPolicy['limits'] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*\/\s*([a-z]+)\s*$/.exec(part);
    const interval = m?.[2] as RateInterval | undefined;
    const limit = Number(m?.[1]);
    if (!m || !interval || !Object.hasOwn(INTERVAL_MS, interval) || !(limit >= 1))
      throw new PlatformError('ERR_GATEWAY_CONFIG', {
        option: 'PIPEGATE_OAUTH_RATE_LIMIT',
        reason: `"${part.trim()}" is not N/interval with N ≥ 1 and interval one of ${Object.keys(INTERVAL_MS).join(', ')}`,
      });
    limits.push({ interval, limit });
  }
  return { aggregateBy: 'consumer', limits };
}

/** The settings from the environment (PIPEGATE_OAUTH_RATE_LIMIT, default DEFAULT_OAUTH_RATE_LIMIT). */
export function oauthSettings(env: NodeJS.ProcessEnv): OAuthSettings {
  const text = env.PIPEGATE_OAUTH_RATE_LIMIT;
  return { rateLimit: parseOAuthRateLimit(text ? text : DEFAULT_OAUTH_RATE_LIMIT) };
}
