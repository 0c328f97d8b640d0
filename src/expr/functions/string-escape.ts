// ESCAPE and UNESCAPE for JSON, XML, CSV and HTML, modelled on Apache Commons Text StringEscapeUtils.
import type { FunctionDef } from '../function-def.js';
import { argValueError } from '../function-def.js';
import { checkResultLength, toStr } from './coerce.js';

const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const GREEK_UPPER =
  'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho _ Sigma Tau Upsilon Phi Chi Psi Omega';
const GREEK_LOWER =
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega';
const EXTRA: Record<string, number> = {
  OElig: 338,
  oelig: 339,
  Scaron: 352,
  scaron: 353,
  Yuml: 376,
  fnof: 402,
  circ: 710,
  tilde: 732,
  ensp: 8194,
  emsp: 8195,
  thinsp: 8201,
  zwnj: 8204,
  zwj: 8205,
  lrm: 8206,
  rlm: 8207,
  ndash: 8211,
  mdash: 8212,
  lsquo: 8216,
  rsquo: 8217,
  sbquo: 8218,
  ldquo: 8220,
  rdquo: 8221,
  bdquo: 8222,
  dagger: 8224,
  Dagger: 8225,
  bull: 8226,
  hellip: 8230,
  permil: 8240,
  prime: 8242,
  Prime: 8243,
  lsaquo: 8249,
  rsaquo: 8250,
  oline: 8254,
  frasl: 8260,
  euro: 8364,
  trade: 8482,
  larr: 8592,
  uarr: 8593,
  rarr: 8594,
  darr: 8595,
  harr: 8596,
};
/** The mathematical, arrow and symbol entities of HTML 4 (name code-point pairs). */
const SYMBOLS =
  'thetasym 977 upsih 978 piv 982 weierp 8472 image 8465 real 8476 alefsym 8501 crarr 8629 lArr 8656 uArr 8657 rArr 8658 dArr 8659 hArr 8660 forall 8704 part 8706 exist 8707 empty 8709 nabla 8711 isin 8712 notin 8713 ni 8715 prod 8719 sum 8721 minus 8722 lowast 8727 radic 8730 prop 8733 infin 8734 ang 8736 and 8743 or 8744 cap 8745 cup 8746 int 8747 there4 8756 sim 8764 cong 8773 asymp 8776 ne 8800 equiv 8801 le 8804 ge 8805 sub 8834 sup 8835 nsub 8836 sube 8838 supe 8839 oplus 8853 otimes 8855 perp 8869 sdot 8901 lceil 8968 rceil 8969 lfloor 8970 rfloor 8971 lang 9001 rang 9002 loz 9674 spades 9824 clubs 9827 hearts 9829 diams 9830';

/** The 252 named entities of HTML 4 by code point, as Apache Commons Text escapeHtml4 uses them. */
export const htmlEntities = new Map<number, string>([
  [34, 'quot'],
  [38, 'amp'],
  [60, 'lt'],
  [62, 'gt'],
  ...LATIN1.split(' ').map((n, i): [number, string] => [160 + i, n]),
  ...GREEK_UPPER.split(' ')
    .map((n, i): [number, string] => [913 + i, n])
    .filter(([, n]) => n !== '_'),
  ...GREEK_LOWER.split(' ').map((n, i): [number, string] => [945 + i, n]),
  ...Object.entries(EXTRA).map(([n, c]): [number, string] => [c, n]),
  ...(SYMBOLS.match(/\S+ \d+/g) ?? []).map((pair): [number, string] => {
    const [n, c] = pair.split(' ') as [string, string];
    return [Number(c), n];
  }),
]);
const byName = new Map<string, number>([...htmlEntities].map(([c, n]) => [n, c]));
const XML_NAMES: Record<string, number> = { quot: 34, amp: 38, lt: 60, gt: 62, apos: 39 };

const hex4 = (c: number): string => `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
const JSON_SHORT: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
};

function escapeJson(s: string): string {
  let out = '';
  for (const ch of s) {
    const short = JSON_SHORT[ch];
    if (short !== undefined) out += short;
    else {
      const c = ch.codePointAt(0) as number;
      if (c >= 32 && c <= 0x7f) out += ch;
      else if (c > 0xffff) out += hex4(ch.charCodeAt(0)) + hex4(ch.charCodeAt(1));
      else out += hex4(c);
    }
  }
  return out;
}

function unescapeJson(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_, e: string) => {
    if (e.startsWith('u')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

function escapeXml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these control characters
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(
        /[&<>"']/g,
        (c) => `&${['amp', 'lt', 'gt', 'quot', 'apos'][`&<>"'`.indexOf(c)] as string};`,
      )
  );
}

function unescapeEntities(s: string, named: (n: string) => number | undefined): string {
  return s.replace(
    /&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z][A-Za-z0-9]{1,9});/g,
    (whole, e: string) => {
      let code: number | undefined;
      if (e[0] === '#')
        code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      else code = named(e);
      return code !== undefined && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
}

function escapeHtml(s: string): string {
  let out = '';
  for (const ch of s) {
    const name = htmlEntities.get(ch.codePointAt(0) as number);
    out += name === undefined ? ch : `&${name};`;
  }
  return out;
}

const CSV_SPECIAL = /[",\r\n]/;
const escapeCsv = (s: string): string => (CSV_SPECIAL.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
function unescapeCsv(s: string): string {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return s;
  const inner = s.slice(1, -1);
  return CSV_SPECIAL.test(inner) ? inner.replace(/""/g, '"') : s;
}

const ESCAPERS: Record<string, [(s: string) => string, (s: string) => string]> = {
  JSON: [escapeJson, unescapeJson],
  XML: [escapeXml, (s) => unescapeEntities(s, (n) => XML_NAMES[n])],
  CSV: [escapeCsv, unescapeCsv],
  HTML: [escapeHtml, (s) => unescapeEntities(s, (n) => byName.get(n) ?? XML_NAMES[n])],
};

function escaper(name: 'ESCAPE' | 'UNESCAPE'): FunctionDef {
  const escape = name === 'ESCAPE';
  return {
    name,
    group: 'string',
    minArgs: 1,
    maxArgs: 2,
    args: ['string', 'string'],
    signature: `${name}(s, type? = "JSON")`,
    summary: escape
      ? 's escaped for JSON, XML, CSV or HTML: ESCAPE("say \\"hi\\"") is "say \\\\\\"hi\\\\\\"" (JSON also escapes / and non-ASCII as \\uXXXX).'
      : 'reverses ESCAPE: UNESCAPE("&lt;b&gt;", "HTML") is "<b>".',
    call: ([s, t]) => {
      const text = toStr(name, 0, s);
      const type = (toStr(name, 1, t) ?? 'JSON').toUpperCase();
      const pair = ESCAPERS[type];
      if (pair === undefined)
        return argValueError(name, `unknown type "${type}" (JSON, XML, CSV, HTML)`);
      if (text === null) return null;
      const out = (escape ? pair[0] : pair[1])(text);
      checkResultLength(name, out.length);
      return out;
    },
  };
}

export const escapeFunctions: FunctionDef[] = [escaper('ESCAPE'), escaper('UNESCAPE')];
