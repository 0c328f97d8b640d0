// Error codes of the outbound (egress) policy that guards connectors against SSRF (see docs/egress.md).
import type { ErrorTable } from '../registry.js';

export const egressCodes = {
  ERR_EGRESS_DENIED: {
    status: 502,
    message:
      'Outbound connection to {host} ({address}) refused by the egress policy: {rule} addresses are blocked by default; allow this destination with --allow-egress {host} or a CIDR if it is intended',
    doc: 'A connector tried to reach a loopback, private, link-local (e.g. 169.254.169.254), unique-local, multicast, reserved or unspecified address — checked on the resolved address and on every redirect. Open a specific host or CIDR with `--allow-egress` (docs/egress.md).',
  },
  ERR_EGRESS_ALLOW_ENTRY: {
    status: 400,
    message: 'Egress allow-list entry "{entry}" is invalid: {reason}',
    doc: 'An `--allow-egress` value must be a host name (`api.internal`, `*.corp.example`), an IP address or a CIDR (`10.1.0.0/16`, `fd00::/8`).',
  },
} as const satisfies ErrorTable;
