// Error codes of monitoring: reading executions, logs and token usage (see docs/monitoring.md).
import type { ErrorTable } from '../registry.js';

export const monitoringCodes = {
  ERR_MONITORING_FILTER: {
    status: 400,
    message: 'Filter "{filter}": {reason}',
    doc: 'A filter of `executions list`, `logs` or the admin monitoring routes is malformed (a time that is neither ISO 8601, epoch nor a duration like 15m; an unknown status or level; a limit outside 1–1000); the message says which and what is accepted.',
  },
  ERR_MONITORING_CURSOR: {
    status: 400,
    message:
      'The cursor is not one this server issued: pass the `nextCursor` of the previous page unchanged',
    doc: 'Pagination cursors are opaque; use the `nextCursor` value of the previous response as it is.',
  },
  ERR_MONITORING_EXECUTION_NOT_FOUND: {
    status: 404,
    message:
      'No execution "{key}" in environment "{environment}" (it may not be written yet, or retention purged it)',
    doc: 'The execution key is unknown in this environment: records are written within a fraction of a second and kept for the retention period (3 days in test, 10 in prod by default).',
  },
} as const satisfies ErrorTable;
