// A step failure travelling up the flow: the pipeline error object plus the coded error behind it.
import type { JsonObject } from '../json.js';
import type { PlatformError } from '../../errors/index.js';

/** The error object of SPEC §3: `{ timestamp, error, code, exception? }`. */
export function errorObject(error: PlatformError, timestamp: number): JsonObject {
  if (error.body) return error.body as JsonObject;
  const out: JsonObject = { timestamp, error: error.message, code: error.status };
  if (error.exception !== null) out.exception = error.exception;
  return out;
}

/** Raised by a step with Fail On Error on; caught by the nearest block's onException. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    readonly error: PlatformError,
    /** The message handed to onException and returned when the execution ends with it. */
    readonly payload: JsonObject,
    /** Path of the step that failed. */
    readonly stepPath: string,
  ) {
    super(error.message);
  }
}
