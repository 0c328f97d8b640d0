// Error codes of access hardening: secret files readable by others, revocation across consumers.
import type { ErrorTable } from '../registry.js';

export const accessCodes: ErrorTable = {
  ERR_MASTER_KEY_PERMISSIONS: {
    status: 500,
    message:
      'The master key file {file} is accessible to other users (mode {mode}); restrict it with: chmod 600 {file}',
    doc: 'The key file decrypts every secret of the store, so it must be readable by its owner only; run the chmod the message names (and check who could have read it).',
  },
};
