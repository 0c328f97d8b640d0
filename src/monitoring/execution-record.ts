// Builds the stored form of an execution's messages: masked, then size-capped.
import type { RedactedMessage } from '../core/engine/index.js';
import type { JsonValue } from '../core/json.js';
import type { LogRecord, NewExecutionRecord } from '../store/records.js';

/** Messages up to this size (bytes of JSON) are kept whole. */
export const WHOLE_MESSAGE_BYTES = 32 * 1024;
/** Messages up to this size are kept cut to WHOLE_MESSAGE_BYTES; larger ones become the marker. */
export const CUT_MESSAGE_BYTES = 320 * 1024;
/** What replaces a message larger than CUT_MESSAGE_BYTES (the reference platform's `@@DGB_TRUNCATED@@`). */
export const TRUNCATION_MARKER = '@@PIPEGATE_TRUNCATED@@';

/** A message as stored, with the size of the masked message as JSON (at least 320 KB when replaced). */
export interface CappedMessage {
  value: JsonValue | null;
  /** JSON text of `value` (null for a null value: stored as SQL NULL), so it is not serialised twice. */
  text: string | null;
  bytes: number;
}

/**
 * Applies the caps (docs/monitoring.md "Message sizes"): ≤ 32 KB the JSON value itself; ≤ 320 KB a
 * string holding the first 32 KB of its JSON text followed by `…`; above, the marker string.
 */
export function capMessage(m: RedactedMessage, fallbackBytes: () => number): CappedMessage {
  if (m.oversized)
    return {
      value: TRUNCATION_MARKER,
      text: MARKER_TEXT,
      bytes: Math.max(fallbackBytes(), CUT_MESSAGE_BYTES + 1),
    };
  const bytes = Buffer.byteLength(m.text);
  if (bytes <= WHOLE_MESSAGE_BYTES)
    return { value: m.value, text: m.value === null ? null : m.text, bytes };
  if (bytes > CUT_MESSAGE_BYTES) return { value: TRUNCATION_MARKER, text: MARKER_TEXT, bytes };
  let cut = m.text.slice(0, WHOLE_MESSAGE_BYTES);
  while (Buffer.byteLength(cut) > WHOLE_MESSAGE_BYTES) cut = cut.slice(0, -64);
  const value = `${cut}…`;
  return { value, text: JSON.stringify(value), bytes };
}

const MARKER_TEXT = JSON.stringify(TRUNCATION_MARKER);

function rawBytes(v: JsonValue): () => number {
  return () => {
    try {
      return Buffer.byteLength(JSON.stringify(v) ?? '');
    } catch {
      return 0;
    }
  };
}

/**
 * Masks then caps the request and response of one execution. `responseText`, when given, is
 * `JSON.stringify(response)` already made (the HTTP response body): reused when nothing is masked.
 */
export function recordMessages(
  request: JsonValue,
  response: JsonValue,
  redact: (
    values: readonly (JsonValue | null)[],
    texts?: readonly (string | undefined)[],
  ) => RedactedMessage[],
  responseText?: string,
): { request: CappedMessage; response: CappedMessage } {
  const [req, res] =
    responseText === undefined
      ? redact([request, response])
      : redact([request, response], [undefined, responseText]);
  return {
    request: capMessage(req!, rawBytes(request)),
    response: capMessage(res!, rawBytes(response)),
  };
}

/** A new execution record (the environment is the recorder's). */
export type NewExecution = NewExecutionRecord;
/** A new log line. */
export type NewLogLine = Omit<LogRecord, 'environment' | 'id'>;
