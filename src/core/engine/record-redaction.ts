// Masks the messages kept in execution records: sensitive fields by name, known secret values anywhere.
import { isJsonObject, defineOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../json.js';
import { collectSensitiveValues, maskText, redactMessage } from './masking.js';

/** Longest string kept whole inside a recorded message (the record itself is capped at 32 KB). */
const MAX_RECORDED_STRING = 32 * 1024;

/*
 * Values found under a sensitive name in any of the messages (a password in the request body) are
 * masked wherever they appear (the same password echoed in the response under another name), as the
 * engine does for log lines. Values shorter than 4 characters are only masked by name: masking every
 * "1" in a message because some `pin` was 1 would destroy the record and protect nothing.
 */
export function redactRecorded(
  values: readonly JsonValue[],
  names: ReadonlySet<string>,
  knownSecrets: ReadonlySet<string>,
): JsonValue[] {
  const secrets = new Set(knownSecrets);
  for (const v of values) {
    for (const s of collectSensitiveValues(v, names)) if (s.length >= 4) secrets.add(s);
  }
  return values.map((v) => {
    const byName = redactMessage(v, names, MAX_RECORDED_STRING);
    return secrets.size === 0 ? byName : maskStrings(byName, [...secrets]);
  });
}

function maskStrings(value: JsonValue, secrets: string[]): JsonValue {
  if (typeof value === 'string') return maskText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, secrets));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) defineOwn(out, maskText(k, secrets), maskStrings(v, secrets));
    return out;
  }
  return value;
}
