// Public surface of accounts.
export { AccountService, ACCOUNT_CACHE_MS } from './account-service.js';
export { ACCOUNT_FIELDS, MAX_ACCOUNT_FIELD_CHARS, buildAccountValue, checkLabel, expressionFields } from './account-value.js';
