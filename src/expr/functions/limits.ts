// Safety bounds of the function library: no call may run for seconds or allocate without bound.

/** Longest string any function may produce (characters). */
export const MAX_RESULT_CHARS = 1_000_000;
/** Longest regular expression pattern accepted (characters). */
export const MAX_REGEX_PATTERN = 1_000;
/** Longest input a regular expression is run against (characters). */
export const MAX_REGEX_INPUT = 1_000_000;
/** Longest input for regexes the linear fallback engine cannot run (lookaround, back-references). */
export const MAX_BACKTRACKING_INPUT = 10_000;
/** Longest pattern accepted by FORMATNUMBER, TONUMBER, FORMATDATE and TOISODATE. */
export const MAX_FORMAT_PATTERN = 200;
/** Longest JSONPath expression accepted. */
export const MAX_JSONPATH = 1_000;
/** Longest JSON text TOJSON / UNESCAPEJSON parse. */
export const MAX_JSON_TEXT = 10_000_000;
/** Largest number of elements an array-building function may produce. */
export const MAX_ARRAY_ELEMENTS = 1_000_000;
