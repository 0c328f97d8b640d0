// Error codes of anomaly detection, anomaly records and alerts (see docs/anomalies.md).
import type { ErrorTable } from '../registry.js';

export const anomalyCodes = {
  ERR_ANOMALY_NOT_FOUND: {
    status: 404,
    message: 'No anomaly {id} in environment {environment}',
    doc: 'The anomaly id does not exist in this environment (it may have been purged); list them with `pipegate anomalies list`.',
  },
  ERR_ANOMALY_STATE: {
    status: 409,
    message: 'Anomaly {id} is {status}: it cannot be {action}',
    doc: 'Anomalies move open → acknowledged → resolved; a resolved anomaly cannot be acknowledged again (the next firing opens a new one).',
  },
  ERR_ANOMALY_QUERY: {
    status: 400,
    message: 'Invalid anomaly filter {option}: {reason}',
    doc: 'A filter of `pipegate anomalies list` or `GET /admin/anomalies` (status, rule, since, until, limit, cursor) is malformed; the message says what is expected.',
  },
  ERR_ANOMALY_CONFIG: {
    status: 400,
    message: 'Invalid anomaly setting {option}: {reason}',
    doc: 'A `--anomaly-threshold`, `--anomaly-response`, `--alert-webhook` or `--alert-secret` value (or its configuration key) is malformed; the message says what is expected.',
  },
} as const satisfies ErrorTable;
