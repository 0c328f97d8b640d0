// Utility functions: Base64 and Base64url, URL form encoding with charsets, UUID, TOBOOLEAN, SIZE.
import { isJsonObject, jsonTypeOf } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import type { FunctionDef } from '../function-def.js';
import { argTypeError, argValueError } from '../function-def.js';
import { checkResultLength, toBool, toStr } from './coerce.js';

type Charset = 'utf8' | 'latin1' | 'ascii' | 'utf16le' | 'utf16be' | 'utf16';
const CHARSETS: Record<string, Charset> = {
  'UTF-8': 'utf8',
  UTF8: 'utf8',
  'ISO-8859-1': 'latin1',
  ISO8859_1: 'latin1',
  'ISO-LATIN-1': 'latin1',
  LATIN1: 'latin1',
  'US-ASCII': 'ascii',
  ASCII: 'ascii',
  'UTF-16LE': 'utf16le',
  'UTF-16BE': 'utf16be',
  'UTF-16': 'utf16',
};

function charset(fn: string, value: string | null): Charset {
  const c = CHARSETS[(value ?? 'UTF-8').toUpperCase()];
  if (c === undefined)
    throw new PlatformError('ERR_EXPR_UNSUPPORTED', {
      name: fn,
      feature: `the charset ${String(value)}`,
    });
  return c;
}

/** Java String.getBytes(charset): unmappable characters become '?'. */
function encode(s: string, cs: Charset): Buffer {
  if (cs === 'utf8') return Buffer.from(s, 'utf8');
  if (cs === 'latin1' || cs === 'ascii') {
    // Characters outside the charset's repertoire (above U+007F or U+00FF) become '?', as in Java.
    const outside = cs === 'ascii' ? /[^\u0000-\u007F]/gu : /[^\u0000-\u00FF]/gu; // eslint-disable-line no-control-regex
    return Buffer.from(s.replace(outside, '?'), 'latin1');
  }
  const le = Buffer.from(s, 'utf16le');
  if (cs === 'utf16le') return le;
  const be = Buffer.from(le).swap16();
  return cs === 'utf16be' ? be : Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
}

/** Java new String(bytes, charset): malformed input becomes U+FFFD. */
function decode(bytes: Buffer, cs: Charset): string {
  if (cs === 'utf8') return new TextDecoder('utf-8').decode(bytes);
  if (cs === 'latin1') return bytes.toString('latin1');
  if (cs === 'ascii')
    return [...bytes].map((b) => (b < 0x80 ? String.fromCharCode(b) : '\uFFFD')).join('');
  if (cs === 'utf16le') return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder(cs === 'utf16be' ? 'utf-16be' : 'utf-16be').decode(
    cs === 'utf16' && bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2) : bytes,
  );
}

function base64Fn(name: string, url: boolean, decoding: boolean): FunctionDef {
  const alphabet = url ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  return {
    name,
    group: 'utilities',
    minArgs: 1,
    maxArgs: 2,
    args: ['string', 'string'],
    signature: `${name}(s, charset? = "UTF-8")`,
    summary: decoding
      ? `decodes ${url ? 'Base64url' : 'Base64'} text and reads the bytes in charset: ${name}("${url ? 'eHB0bw' : 'eHB0bw=='}") is "xpto"; invalid input is an error.`
      : `${url ? 'Base64url without padding' : 'Base64'} of the bytes of s in charset (UTF-8, ISO-8859-1, US-ASCII, UTF-16, UTF-16LE, UTF-16BE): ${name}("xpto") is "${url ? 'eHB0bw' : 'eHB0bw=='}".`,
    call: ([s, c]) => {
      const text = toStr(name, 0, s);
      const cs = charset(name, toStr(name, 1, c));
      if (text === null) return null;
      if (!decoding) return encode(text, cs).toString(url ? 'base64url' : 'base64');
      if (
        !alphabet.test(text) ||
        text.replace(/=+$/, '').length % 4 === 1 ||
        (text.includes('=') && text.length % 4 !== 0)
      ) {
        return argValueError(name, `not valid ${url ? 'Base64url' : 'Base64'} text`);
      }
      return decode(Buffer.from(text, url ? 'base64url' : 'base64'), cs);
    },
  };
}

const FORM_SAFE = /[A-Za-z0-9.\-*_]/;

/** Java URLEncoder.encode: form encoding, space as "+", unreserved a-z A-Z 0-9 . - * _. */
function urlEncode(s: string, cs: Charset): string {
  let out = '';
  for (const ch of s) {
    if (FORM_SAFE.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else for (const b of encode(ch, cs)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Java URLDecoder.decode: "+" is a space, %XX runs are bytes in the charset; a bad escape is an error. */
function urlDecode(s: string, cs: Charset): string {
  let out = '';
  for (let i = 0; i < s.length;) {
    const ch = s[i] as string;
    if (ch === '+') {
      out += ' ';
      i++;
    } else if (ch === '%') {
      const bytes: number[] = [];
      while (s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex))
          return argValueError('URIDECODE', `illegal escape "%${hex}" at position ${i}`);
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      out += decode(Buffer.from(bytes), cs);
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function uriFn(name: 'URIENCODE' | 'URIDECODE'): FunctionDef {
  const encoding = name === 'URIENCODE';
  return {
    name,
    group: 'utilities',
    minArgs: 1,
    maxArgs: 2,
    args: ['string', 'string'],
    signature: `${name}(s, charset? = "UTF-8")`,
    summary: encoding
      ? 'URL form encoding (Java URLEncoder; a space becomes "+"): URIENCODE("http://localhost:8080") is "http%3A%2F%2Flocalhost%3A8080".'
      : 'reverses URIENCODE ("+" is a space): URIDECODE("http%3A%2F%2Flocalhost%3A8080") is "http://localhost:8080".',
    call: ([s, c]) => {
      const text = toStr(name, 0, s);
      const cs = charset(name, toStr(name, 1, c));
      if (text === null) return null;
      const out = encoding ? urlEncode(text, cs) : urlDecode(text, cs);
      checkResultLength(name, out.length);
      return out;
    },
  };
}

export const utilityFunctions: FunctionDef[] = [
  base64Fn('BASEENCODE', false, false),
  base64Fn('BASEDECODE', false, true),
  base64Fn('BASEURLENCODE', true, false),
  base64Fn('BASEURLDECODE', true, true),
  uriFn('URIENCODE'),
  uriFn('URIDECODE'),
  {
    name: 'UUID',
    group: 'utilities',
    minArgs: 0,
    maxArgs: 0,
    pure: false,
    signature: 'UUID()',
    summary: 'a random version-4 UUID string.',
    call: (_args, services) => services.uuid(),
  },
  {
    name: 'TOBOOLEAN',
    group: 'utilities',
    minArgs: 1,
    maxArgs: 1,
    signature: 'TOBOOLEAN(x)',
    summary:
      'true for true and for the string "true" in any case; false for anything else (numbers, null, objects).',
    call: ([x]) => x === true || (typeof x === 'string' && x.toLowerCase() === 'true'),
  },
  {
    name: 'SIZE',
    group: 'utilities',
    minArgs: 1,
    maxArgs: 2,
    args: ['any', 'boolean'],
    signature: 'SIZE(x, throwErrorOnUnexpectedType? = true)',
    summary:
      'length of a string (UTF-16 code units, as Java) or array, or number of keys of an object; other types are an error, or null when the flag is false.',
    call: ([x, flag]) => {
      if (typeof x === 'string') return x.length;
      if (Array.isArray(x)) return x.length;
      if (isJsonObject(x)) return Object.keys(x).length;
      const shouldThrow = flag === undefined || flag === null ? true : toBool('SIZE', 1, flag);
      if (!shouldThrow) return null;
      return argTypeError(
        'SIZE',
        0,
        'a string, array or object',
        jsonTypeOf(x) === 'null' ? null : x,
      );
    },
  },
];
