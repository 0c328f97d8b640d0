// The closed table of error codes: every code with its HTTP status and message template.
import { accountCodes } from './codes/accounts.js';
import { coreCodes } from './codes/core.js';
import { exprCodes } from './codes/expr.js';
import { connectorCodes } from './codes/connectors.js';
import { joltCodes } from './codes/jolt.js';
import { joseCodes } from './codes/jose.js';
import { gatewayCodes } from './codes/gateway.js';
import { storeCodes } from './codes/store.js';
import { jwtCodes } from './codes/jwt.js';
import { accessCodes } from './codes/access.js';
import { anomalyCodes } from './codes/anomalies.js';
import { egressCodes } from './codes/egress.js';
import { httpCodes } from './codes/http.js';
import { dataSecurityCodes } from './codes/data-security.js';
import { dbCodes } from './codes/db.js';
import { monitoringCodes } from './codes/monitoring.js';
import { faultCodes } from './codes/faults.js';
import { hardeningCodes } from './codes/hardening.js';
import { configCodes } from './codes/config.js';
import { oauthCodes } from './codes/oauth.js';
import { consoleCodes } from './codes/console.js';
import { dpopCodes } from './codes/dpop.js';
import { bodySchemaCodes } from './codes/body-schema.js';
import { issuerCodes } from './codes/issuers.js';

/** One row of the error table. */
export interface ErrorCodeDef {
  /** HTTP status used when the error reaches a caller. */
  status: number;
  /** Message template; `{name}` is replaced by the detail of that name. */
  message: string;
  /** One sentence for docs/errors.md: what causes it and how to fix it. */
  doc: string;
}

export type ErrorTable = Record<`ERR_${string}`, ErrorCodeDef>;

/**
 * Every code Pipegate can produce, by area. A new area is a new file in codes/ (`as const satisfies
 * ErrorTable`) added here: its codes join PlatformErrorCode, so a mistyped code fails to compile.
 */
const areas = {
  core: coreCodes,
  expressions: exprCodes,
  connectors: connectorCodes,
  jolt: joltCodes,
  jose: joseCodes,
  gateway: gatewayCodes,
  store: storeCodes,
  accounts: accountCodes,
  jwt: jwtCodes,
  access: accessCodes,
  anomalies: anomalyCodes,
  egress: egressCodes,
  http: httpCodes,
  'hash and crypto': dataSecurityCodes,
  db: dbCodes,
  monitoring: monitoringCodes,
  faults: faultCodes,
  hardening: hardeningCodes,
  config: configCodes,
  oauth: oauthCodes,
  console: consoleCodes,
  dpop: dpopCodes,
  'body schemas': bodySchemaCodes,
  issuers: issuerCodes,
} as const;

/** The closed union of every registered code. */
export type PlatformErrorCode = {
  [A in keyof typeof areas]: keyof (typeof areas)[A];
}[keyof typeof areas];

/** The tables by area (docs/errors.md is generated from them). */
export const errorAreas: Readonly<Record<string, ErrorTable>> = areas;

const table = new Map<string, ErrorCodeDef>();
for (const area of Object.values(errorAreas)) {
  for (const [code, def] of Object.entries(area)) {
    if (table.has(code)) throw new TypeError(`duplicate error code ${code}`);
    table.set(code, def);
  }
}

/** True when `code` is registered (narrows text from outside, e.g. an admin API answer). */
export function isErrorCode(code: string): code is PlatformErrorCode {
  return table.has(code);
}

/** The definition of `code`; a TypeError for an unregistered code (a programmer mistake). */
export function lookupCode(code: string): ErrorCodeDef {
  const def = table.get(code);
  if (!def) throw new TypeError(`unregistered error code ${code}`);
  return def;
}

/** All registered codes, sorted. */
export function allCodes(): string[] {
  return [...table.keys()].sort();
}
