// Coded failures of the jose connector, and the mapping of the `jose` package's errors onto them.
import { errors as joseErrors } from 'jose';
import { PlatformError, isPlatformError, type ErrorDetails, type PlatformErrorCode } from '../../../errors/index.js';

/** The jose connector's codes (a subset of the closed union). */
export type JoseErrorCode = Extract<PlatformErrorCode, `ERR_JOSE_${string}`>;

/** Throws a coded jose failure; `cause` keeps the original error (never key material in details). */
export function fail(code: JoseErrorCode, details: ErrorDetails = {}, cause?: unknown): never {
  throw new PlatformError(code, details, cause === undefined ? undefined : { cause });
}

/**
 * Turns an error thrown inside a verify/decrypt into a coded PlatformError. PlatformErrors pass
 * through; the `jose` package's classes map to our codes; anything else is ERR_JOSE_OPERATION_FAILED.
 * Messages of the `jose` package never contain key material, but only fixed reasons are copied.
 */
export function toJoseFailure(err: unknown, operation: string): PlatformError {
  if (isPlatformError(err)) return err;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new PlatformError('ERR_JOSE_SIGNATURE_INVALID', {}, { cause: err });
  }
  if (err instanceof joseErrors.JWEDecryptionFailed) {
    return new PlatformError('ERR_JOSE_DECRYPTION_FAILED', {}, { cause: err });
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) {
    return new PlatformError('ERR_JOSE_ALG_NOT_ALLOWED', { member: 'alg', alg: 'header value' }, { cause: err });
  }
  if (err instanceof joseErrors.JWEInvalid && /decompress/i.test(err.message)) {
    return new PlatformError('ERR_JOSE_COMPRESSION', { reason: err.message }, { cause: err });
  }
  if (err instanceof joseErrors.JOSEError) {
    return new PlatformError('ERR_JOSE_TOKEN_INVALID', { reason: err.message }, { cause: err });
  }
  if (err instanceof TypeError) {
    return new PlatformError('ERR_JOSE_KEY_MISMATCH', { alg: 'requested', reason: err.message }, { cause: err });
  }
  const reason = err instanceof Error ? err.name : 'unknown error';
  return new PlatformError('ERR_JOSE_OPERATION_FAILED', { operation, reason }, { cause: err });
}
