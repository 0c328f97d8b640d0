// Error codes of access hardening: secret files readable by others, revocation across consumers.
import type { ErrorTable } from '../registry.js';

export const accessCodes = {
  ERR_MASTER_KEY_PERMISSIONS: {
    status: 500,
    message:
      'The master key file {file} is accessible to other users (mode {mode}); restrict it with: chmod 600 {file}',
    doc: 'The key file decrypts every secret of the store, so it must be readable by its owner only; run the chmod the message names (and check who could have read it).',
  },
  ERR_JWT_REVOKE_NO_CONSUMER: {
    status: 401,
    message:
      'jwt revoke of a jti revokes only the calling consumer\'s token, and this request has no authenticated consumer; protect the trigger with apiKey, basicAuth or jwt, or set allowAnyConsumer: true on the step',
    doc: 'A revoke step with a jti runs on a trigger without authentication; add authentication, or (for an administrative pipeline) allowAnyConsumer: true.',
  },
} as const satisfies ErrorTable;
