// The one error class users see: a stable code, an HTTP status, JSON-safe details and a cause.
import { lookupCode } from './registry.js';

/** JSON-safe details attached to an error (never secrets). */
export type ErrorDetails = Record<string, string | number | boolean | null | undefined | string[]>;

/** An error a user can cause; `code` is stable and documented in docs/errors.md. */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails;

  constructor(code: string, details: ErrorDetails = {}, options?: { cause?: unknown; message?: string }) {
    const def = lookupCode(code);
    super(options?.message ?? renderTemplate(def.message, details), { cause: options?.cause });
    this.code = code;
    this.status = def.status;
    this.details = details;
  }

  /** The JSON form used by the CLI and the admin API. */
  toJSON(): { code: string; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Replaces `{name}` placeholders with detail values. */
export function renderTemplate(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = details[key];
    if (value === undefined) return whole;
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

/** True when `err` is a PlatformError (also across realm boundaries). */
export function isPlatformError(err: unknown): err is PlatformError {
  return err instanceof PlatformError;
}
