// Builds the stored form of an execution: masked, size-capped messages and the gateway's facts.
import type { JsonValue } from '../core/json.js';
import type { ExecutionRecord, LogRecord } from '../store/records.js';

/** Messages up to this size (bytes of JSON) are kept whole. */
export const WHOLE_MESSAGE_BYTES = 32 * 1024;
/** Messages up to this size are kept cut to WHOLE_MESSAGE_BYTES; larger ones become the marker. */
export const CUT_MESSAGE_BYTES = 320 * 1024;
/** What replaces a message larger than CUT_MESSAGE_BYTES (the reference platform's `@@DGB_TRUNCATED@@`). */
export const TRUNCATION_MARKER = '@@PIPEGATE_TRUNCATED@@';

/** A message as stored, with the size of the message (as JSON, before masking and the cap). */
export interface CappedMessage {
  value: JsonValue | null;
  bytes: number;
}

/**
 * Applies the caps (docs/monitoring.md "Message sizes"): ≤ 32 KB the JSON value itself; ≤ 320 KB a
 * string holding the first 32 KB of its JSON text followed by `…`; above, the marker string.
 */
export function capMessage(value: JsonValue | null, text: string): CappedMessage {
  const bytes = Buffer.byteLength(text);
  if (bytes <= WHOLE_MESSAGE_BYTES) return { value, bytes };
  if (bytes > CUT_MESSAGE_BYTES) return { value: TRUNCATION_MARKER, bytes };
  // Cut on a character boundary at or below the byte budget.
  let cut = text.slice(0, WHOLE_MESSAGE_BYTES);
  while (Buffer.byteLength(cut) > WHOLE_MESSAGE_BYTES) cut = cut.slice(0, -64);
  return { value: `${cut}…`, bytes };
}

/** JSON text of a message, or null when it cannot be serialised. */
function jsonText(value: JsonValue | null): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}

/**
 * Masks then caps a pair of messages. A message already larger than the cut bound is replaced by the
 * marker without being walked (masking it would be wasted work on the request path).
 */
export function recordMessages(
  request: JsonValue,
  response: JsonValue,
  redact: (values: readonly JsonValue[]) => JsonValue[],
): { request: CappedMessage; response: CappedMessage } {
  const rawReq = jsonText(request);
  const rawRes = jsonText(response);
  const tooBigReq = Buffer.byteLength(rawReq) > CUT_MESSAGE_BYTES;
  const tooBigRes = Buffer.byteLength(rawRes) > CUT_MESSAGE_BYTES;
  const toMask = [tooBigReq ? null : request, tooBigRes ? null : response];
  const [req, res] = redact(toMask);
  return {
    request: tooBigReq
      ? { value: TRUNCATION_MARKER, bytes: Buffer.byteLength(rawReq) }
      : { value: capMessage(req ?? null, jsonText(req ?? null)).value, bytes: Buffer.byteLength(rawReq) },
    response: tooBigRes
      ? { value: TRUNCATION_MARKER, bytes: Buffer.byteLength(rawRes) }
      : { value: capMessage(res ?? null, jsonText(res ?? null)).value, bytes: Buffer.byteLength(rawRes) },
  };
}

/** A new execution record (the environment is the recorder's). */
export type NewExecution = Omit<ExecutionRecord, 'environment'>;
/** A new log line. */
export type NewLogLine = Omit<LogRecord, 'environment' | 'id'>;
