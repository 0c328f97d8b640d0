// Error codes of the gateway area (see docs/errors.md).
import type { ErrorTable } from '../registry.js';

export const gatewayCodes: ErrorTable = {};
