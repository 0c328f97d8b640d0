// Error codes of the jose area (see docs/errors.md).
import type { ErrorTable } from '../registry.js';

export const joseCodes: ErrorTable = {};
