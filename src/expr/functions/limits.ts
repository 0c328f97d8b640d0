// Safety bounds of the function library: no call may run for seconds or allocate without bound.
import { MAX_INPUT_CHARS, MAX_PATTERN_CHARS } from '../../core/linear-regex.js';

/** Longest string any function may produce (characters). */
export const MAX_RESULT_CHARS = 1_000_000;
/** Longest regular expression pattern accepted (characters). */
export const MAX_REGEX_PATTERN = MAX_PATTERN_CHARS;
/** Longest input a regular expression is run against (characters). */
export const MAX_REGEX_INPUT = MAX_INPUT_CHARS;
/** Longest pattern accepted by FORMATNUMBER, TONUMBER, FORMATDATE and TOISODATE. */
export const MAX_FORMAT_PATTERN = 200;
/** Longest JSONPath expression accepted. */
export const MAX_JSONPATH = 1_000;
/** Longest JSON text TOJSON / UNESCAPEJSON parse. */
export const MAX_JSON_TEXT = 10_000_000;
/** Largest number of elements an array-building function may produce. */
export const MAX_ARRAY_ELEMENTS = 1_000_000;
