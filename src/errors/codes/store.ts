// Error codes of the store area (see docs/errors.md).
import type { ErrorTable } from '../registry.js';

export const storeCodes: ErrorTable = {};
