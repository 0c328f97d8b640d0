// Error codes of accounts: typed, encrypted credentials (see docs/accounts.md).
import type { ErrorTable } from '../registry.js';

export const accountCodes = {
  ERR_ACCOUNT_INVALID: {
    status: 400,
    message: 'Account "{label}": {reason}',
    doc: 'An account value does not fit its type (missing field, unreadable PEM or JWK, too long); the message names the field, never the value.',
  },
  ERR_ACCOUNT_LABEL: {
    status: 400,
    message: 'Account label "{label}" is invalid: use lowercase letters, digits and hyphens (at most 64)',
    doc: 'Account labels are kebab-case so that `{{ account.<label>.<field> }}` can name them.',
  },
  ERR_ACCOUNT_MISSING: {
    status: 400,
    message: 'Pipeline "{pipeline}" uses account(s) {labels} that do not exist in environment "{environment}"',
    doc: 'Create the accounts a pipeline names (`pipegate accounts add`) before deploying it.',
  },
} as const satisfies ErrorTable;
