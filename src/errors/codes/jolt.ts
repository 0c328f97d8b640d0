// Error codes of the jolt area (see docs/errors.md).
import type { ErrorTable } from '../registry.js';

export const joltCodes: ErrorTable = {};
