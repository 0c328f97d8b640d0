// Error codes of the hardening area: login limits, regex safety, admin listener protections (docs/security.md).
import type { ErrorTable } from '../registry.js';

export const hardeningCodes = {
  ERR_LOGIN_THROTTLED: {
    status: 429,
    message: 'Too many failed logins; retry after {retryAfterSec} s',
    doc: 'Repeated wrong passwords from this client address or for this username: password checks are refused before hashing until the backoff (Retry-After) has passed. Check the credential, then wait.',
  },
  ERR_LOGIN_BUSY: {
    status: 503,
    message: 'Too many password checks in progress; retry shortly',
    doc: 'Every password-hashing slot of this node is busy (a flood of Basic Auth or admin logins): the request is refused at once instead of queueing. Retry after Retry-After; raise `maxConcurrentHashes` only with CPU to spare. With `--redis` and `redis.onOutage: closed`, also answered while Redis (the shared failed-login counters) is unreachable (docs/scaling.md).',
  },
  ERR_REGEX_NOT_LINEAR: {
    status: 400,
    message: '{name}: the regex cannot run in linear time ({reason})',
    doc: 'Patterns run only on a linear-time engine, so lookaround, back-references, atomic groups, Unicode case-folding and counted repetitions whose counts multiply past 16 are refused. Rewrite the pattern without them (docs/security.md "Regular expressions").',
  },
  ERR_ADMIN_CONTENT_TYPE: {
    status: 415,
    message: 'The admin API accepts only application/json or application/yaml request bodies',
    doc: 'A POST, PUT, PATCH or DELETE to /admin must declare Content-Type application/json or application/yaml (the CLI does); form and text/plain bodies are refused so that a cross-site form cannot call the admin API.',
  },
  ERR_ADMIN_CROSS_SITE: {
    status: 403,
    message: 'Cross-site request refused by the admin API',
    doc: 'The request carried an Origin of another site or Sec-Fetch-Site cross-site/same-site: browsers on other sites may not call the admin API. Call it from the CLI, curl or the admin listener own origin.',
  },
  ERR_GATEWAY_CORS_CREDENTIALS_WILDCARD: {
    status: 400,
    message:
      'trigger.cors: credentials true with origins "*" would let any site read authenticated responses',
    doc: 'A CORS policy with `credentials: true` must list its allowed origins explicitly (no "*", and "*" is the default when `origins` is omitted).',
  },
  ERR_GATEWAY_BUSY: {
    status: 503,
    message: 'Service Unavailable',
    doc: 'The gateway holds its cap of request-body bytes in flight (`maxBodyBytesInFlight`) and refused this body; retry shortly.',
  },
} as const satisfies ErrorTable;
