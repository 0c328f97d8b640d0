// Public surface of the error module.
export { PlatformError, isPlatformError, renderTemplate, type ErrorDetails, type PlatformErrorOptions } from './platform-error.js';
export { lookupCode, allCodes, errorAreas, isErrorCode, type ErrorCodeDef, type ErrorTable, type PlatformErrorCode } from './registry.js';
