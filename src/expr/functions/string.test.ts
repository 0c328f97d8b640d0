// Table-driven tests of the string functions, ESCAPE/UNESCAPE and the regex functions with Java semantics.
import { describe, expect, it } from 'vitest';
import type { FunctionCase } from './frozen-services.js';
import { callFunction, fails, ok, thinlyTested } from './frozen-services.js';
import { escapeFunctions, htmlEntities } from './string-escape.js';
import { regexFunctions } from './string-regex.js';
import { stringFunctions } from './string.js';

const TYPE = 'ERR_EXPR_ARGUMENT_TYPE';
const VALUE = 'ERR_EXPR_ARGUMENT_VALUE';
const LIMIT = 'ERR_EXPR_LIMIT';
const cases: FunctionCase[] = [
  ['CAPITALIZE', ['hello world'], ok('Hello world')],
  ['CAPITALIZE', [null], ok(null)],
  ['CAPITALIZE', [{}], fails(TYPE)],
  ['CAPITALIZE', [''], ok('')],
  ['CAPITALIZE', ['élan'], ok('Élan')],
  ['CONCAT', ['Hello', ' ', 'World'], ok('Hello World')],
  ['CONCAT', ['a', null, 'b'], ok('ab')],
  ['CONCAT', ['a', 1, true, { k: 'v' }, [1]], ok('a1true{"k":"v"}[1]')],
  ['CONCAT', ['{{', 'x', '}}'], ok('{{x}}')],
  ['CONTAINS', ['Digibee', 'bee'], ok(true)],
  ['CONTAINS', [null, 'a'], ok(false)],
  ['CONTAINS', [[], 'a'], fails(TYPE)],
  ['CONTAINS', ['abc', ''], ok(true)],
  ['CONTAINS', ['ABC', 'b'], ok(false)],
  ['DEFAULT', [null, 'fallback'], ok('fallback')],
  ['DEFAULT', ['value', 'fallback'], ok('value')],
  ['DEFAULT', ['', 'fallback'], ok('')],
  ['DEFAULT', [false, true], ok(false)],
  ['INDEXOF', ['banana', 'an'], ok(1)],
  ['INDEXOF', ['banana', 'an', 2], ok(3)],
  ['INDEXOF', [null, 'a'], ok(-1)],
  ['INDEXOF', ['banana', 'an', 'x'], fails(TYPE)],
  ['INDEXOF', ['banana', 'AN'], ok(-1)],
  ['INDEXOF', ['😀a', 'a'], ok(2)],
  ['LASTINDEXOF', ['banana', 'an'], ok(3)],
  ['LASTINDEXOF', ['banana', null], ok(-1)],
  ['LASTINDEXOF', [{}, 'a'], fails(TYPE)],
  ['LASTINDEXOF', ['', ''], ok(0)],
  ['JOIN', ['-', 'a', 'b', 'c'], ok('a-b-c')],
  ['JOIN', [',', 'a', null, 'b'], ok('a,b')],
  ['JOIN', [',', ['x', 'y'], 'z'], ok('x,y,z')],
  ['JOIN', [{}, 'a'], fails(TYPE)],
  ['JOIN', ['', 'a', 1], ok('a1')],
  ['LEFTPAD', ['42', 5, '0'], ok('00042')],
  ['LEFTPAD', [null, 5], ok(null)],
  ['LEFTPAD', ['42', 'five'], fails(TYPE)],
  ['LEFTPAD', ['abcdef', 3], ok('abcdef')],
  ['LEFTPAD', ['x', 4, 'ab'], ok('abax')],
  ['LEFTPAD', ['x', 10_000_000], fails(LIMIT)],
  ['RIGHTPAD', ['ab', 4, '*'], ok('ab**')],
  ['RIGHTPAD', [null, 4], ok(null)],
  ['RIGHTPAD', ['ab', []], fails(TYPE)],
  ['RIGHTPAD', ['ab', -1], ok('ab')],
  ['RIGHTPAD', ['ab', 5], ok('ab   ')],
  ['RIGHTPAD', ['x', 2_000_000, '-'], fails(LIMIT)],
  ['LOWERCASE', ['ÁBC'], ok('ábc')],
  ['LOWERCASE', [null], ok(null)],
  ['LOWERCASE', [[1]], fails(TYPE)],
  ['LOWERCASE', [''], ok('')],
  ['UPPERCASE', ['straße'], ok('STRASSE')],
  ['UPPERCASE', [null], ok(null)],
  ['UPPERCASE', [{}], fails(TYPE)],
  ['UPPERCASE', [12], ok('12')],
  ['NORMALIZE', ['São Paulo'], ok('Sao Paulo')],
  ['NORMALIZE', [null], ok(null)],
  ['NORMALIZE', [{}], fails(TYPE)],
  ['NORMALIZE', ['Łódź, Ærø, crème brûlée'], ok('Lodz, Ærø, creme brulee')],
  ['RANDOMSTRINGS', ['NUMERIC', 5], ok('52709')],
  ['RANDOMSTRINGS', ['alphabetic', 3], ok('aNn')],
  ['RANDOMSTRINGS', [null, 3], fails(TYPE)],
  ['RANDOMSTRINGS', ['HEX', 3], fails(VALUE)],
  ['RANDOMSTRINGS', ['ASCII', 0], ok('')],
  ['RANDOMSTRINGS', ['ALPHANUMERIC', 100_001], fails(LIMIT)],
  ['SUBSTRING', ['Digibee', 0, 4], ok('Digi')],
  ['SUBSTRING', ['Digibee', 4], ok('bee')],
  ['SUBSTRING', [null, 0, 1], ok(null)],
  ['SUBSTRING', ['Digibee', 'a'], fails(TYPE)],
  ['SUBSTRING', ['Digibee', 2, 50], fails(VALUE)],
  ['SUBSTRING', ['Digibee', 2, 50, false], ok('Digibee')],
  ['SUBSTRING', ['Digibee', -1], fails(VALUE)],
  ['SUBSTRING', ['', 0, 0], ok('')],
  ['TOSTRING', [{ a: 1 }], ok('{"a":1}')],
  ['TOSTRING', [null], ok(null)],
  ['TOSTRING', [12.5], ok('12.5')],
  ['TOSTRING', [false], ok('false')],
  ['TOSTRING', [['{', '}']], ok('["{","}"]')],
  ['TRIM', ['  hi \n'], ok('hi')],
  ['TRIM', [null], ok(null)],
  ['TRIM', [{}], fails(TYPE)],
  ['TRIM', ['\u00a0x\u00a0'], ok('\u00a0x\u00a0')],
  ['TRIM', ['   '], ok('')],
  // ESCAPE / UNESCAPE (Apache Commons Text flavour)
  ['ESCAPE', ['say "hi"\n'], ok('say \\"hi\\"\\n')],
  ['ESCAPE', [null], ok(null)],
  ['ESCAPE', [{}], fails(TYPE)],
  ['ESCAPE', ['a/b São'], ok('a\\/b S\\u00E3o')],
  ['ESCAPE', ['<a href="x">&</a>', 'XML'], ok('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;')],
  ['ESCAPE', ['a,"b"', 'CSV'], ok('"a,""b"""')],
  ['ESCAPE', ['plain', 'CSV'], ok('plain')],
  ['ESCAPE', ['café <b>', 'html'], ok('caf&eacute; &lt;b&gt;')],
  ['ESCAPE', ['x', 'YAML'], fails(VALUE)],
  ['UNESCAPE', ['say \\"hi\\"\\n\\u00E3'], ok('say "hi"\nã')],
  ['UNESCAPE', [null, 'XML'], ok(null)],
  ['UNESCAPE', [[], 'XML'], fails(TYPE)],
  ['UNESCAPE', ['&lt;b&gt; &eacute; &#65;&#x42; &bogus;', 'HTML'], ok('<b> é AB &bogus;')],
  ['UNESCAPE', ['&apos;x&apos;', 'XML'], ok("'x'")],
  ['UNESCAPE', ['"a,""b"""', 'CSV'], ok('a,"b"')],
  ['UNESCAPE', ['"plain"', 'CSV'], ok('"plain"')],
  // regex functions
  ['MATCHES', ['abc123', '[a-z]+\\d+'], ok(true)],
  ['MATCHES', ['abc', 'b'], ok(false)],
  ['MATCHES', [null, 'a'], ok(false)],
  ['MATCHES', ['a', null], fails(TYPE)],
  ['MATCHES', ['a', '('], fails(VALUE)],
  ['MATCHES', ['ab', 'a|ab'], ok(true)],
  ['MATCHES', ['ÁB', '(?i)áb'], ok(false)],
  ['MATCHES', ['hello', '\\p{Lower}+'], ok(true)],
  ['MATCHES', ['héllo', '\\p{L}+'], fails('ERR_REGEX_NOT_LINEAR')],
  ['MATCHES', ['aaa', 'a*+'], fails('ERR_EXPR_UNSUPPORTED')],
  ['MATCHES', ['aaa', '(?>a+)'], fails('ERR_EXPR_UNSUPPORTED')],
  ['REPLACE', ['a-b-c', '-', '+'], ok('a+b+c')],
  ['REPLACE', ['John Smith', '(\\w+) (\\w+)', '$2, $1'], ok('Smith, John')],
  [
    'REPLACE',
    ['2024-02-29', '(?<y>\\d{4})-(?<m>\\d\\d)-(?<d>\\d\\d)', '${d}/${m}/${y}'],
    ok('29/02/2024'),
  ],
  ['REPLACE', ['cost', 'cost', '\\$5'], ok('$5')],
  ['REPLACE', [null, 'a', 'b'], ok(null)],
  ['REPLACE', [{}, 'a', 'b'], fails(TYPE)],
  ['REPLACE', ['abc', 'b', '$'], fails(VALUE)],
  ['REPLACE', ['abc', 'b', '$2'], fails(VALUE)],
  ['REPLACE', ['abc', '', '-'], ok('-a-b-c-')],
  ['REPLACE', ['{{x}}', '\\{\\{|\\}\\}', ''], ok('x')],
  ['SPLIT', ['a,b,,', ','], ok(['a', 'b'])],
  ['SPLIT', ['abc', ''], ok(['a', 'b', 'c'])],
  ['SPLIT', [null, ','], ok(null)],
  ['SPLIT', [{}, ','], fails(TYPE)],
  ['SPLIT', ['', ','], ok([''])],
  ['SPLIT', [',a', ','], ok(['', 'a'])],
  ['SPLIT', ['a1b2c', '(\\d)'], ok(['a', 'b', 'c'])],
  ['STRINGMATCHES', ['a1b22c333', '\\d+'], ok(['1', '22', '333'])],
  ['STRINGMATCHES', ['Abc aBC', 'abc', 'CASE_INSENSITIVE'], ok(['Abc', 'aBC'])],
  ['STRINGMATCHES', [null, 'a'], ok(null)],
  ['STRINGMATCHES', [[], 'a'], fails(TYPE)],
  ['STRINGMATCHES', ['a.b', '.', 'LITERAL'], ok(['.'])],
  ['STRINGMATCHES', ['l1\nl2', '^l\\d$', 'MULTILINE'], ok(['l1', 'l2'])],
  ['STRINGMATCHES', ['a\nb', 'a.b', 'DOTALL'], ok(['a\nb'])],
  ['STRINGMATCHES', ['a1', ' \\d # digit', 'COMMENTS'], ok(['1'])],
  ['STRINGMATCHES', ['x', 'x', 'CANON_EQ'], fails('ERR_EXPR_UNSUPPORTED')],
  ['STRINGMATCHES', ['x', 'x', 'NOPE'], fails(VALUE)],
  ['STRINGMATCHES', ['ab', 'A|B', 'CASE_INSENSITIVE|MULTILINE'], ok(['a', 'b'])],
  ['STRINGMATCHES', ['aBc-D', '[a-c]+', 'CASE_INSENSITIVE'], ok(['aBc'])],
  ['STRINGMATCHES', ['x1Y2-', '[^a-z\\d]', 'CASE_INSENSITIVE'], ok(['-'])],
  ['STRINGMATCHES', ['A.B a.b', 'a.b', 'LITERAL|CASE_INSENSITIVE'], ok(['A.B', 'a.b'])],
  ['MATCHES', ['a.b', '\\Qa.b\\E'], ok(true)],
  ['MATCHES', ['axb', '\\Qa.b\\E'], ok(false)],
  ['MATCHES', ['abc', '\\Aabc\\z'], ok(true)],
  ['REPLACE', ['line1\r\nline2\nline3', '\\R', ' '], ok('line1 line2 line3')],
  ['MATCHES', ['a', '[a-z&&[^b]]'], fails('ERR_EXPR_UNSUPPORTED')],
  ['MATCHES', ['ABC', '^(?i)abc$'], ok(true)],
  ['STRINGMATCHES', ['Mx_y[Q', '[A-z]+', 'CASE_INSENSITIVE'], ok(['Mx_y[Q'])],
  ['STRINGMATCHES', ['mQ5', '[K-R0-9]+', 'CASE_INSENSITIVE'], ok(['mQ5'])],
  ['STRINGMATCHES', ['A-B', '[a]-b', 'CASE_INSENSITIVE'], ok(['A-B'])],
  ['STRINGMATCHES', ['a-Z', '[a\\-z]+', 'CASE_INSENSITIVE'], ok(['a-Z'])],
  ['MATCHES', ['xABCy', 'x(?i:abc)y'], ok(true)],
  ['MATCHES', ['XABCY', 'x(?i:abc)y'], ok(false)],
  ['MATCHES', ['aBc', '(?i)a(?-i)B(?i)c'], ok(true)],
  ['MATCHES', ['abc', '(?i)a(?-i)B(?i)c'], ok(false)],
  ['MATCHES', ['a', 'x|(?s)a'], fails('ERR_EXPR_UNSUPPORTED')],
];

describe('string functions', () => {
  for (const [name, args, expected] of cases) {
    it(`${name}(${JSON.stringify(args).slice(1, -1).slice(0, 80)})`, () =>
      expect(callFunction(name, args)).toEqual(expected));
  }
  it('has at least four cases for every string function', () => {
    expect(
      thinlyTested([...stringFunctions, ...escapeFunctions, ...regexFunctions], cases),
    ).toEqual([]);
  });
  it('knows the 252 HTML 4 entities (plus XML &apos; on reading)', () => {
    expect(htmlEntities.size).toBe(252);
    expect(callFunction('ESCAPE', ['∀x ∈ ℜ ♥', 'HTML'])).toEqual(
      ok('&forall;x &isin; &real; &hearts;'),
    );
  });
  it('maps all 96 Latin-1 HTML entities from nbsp to yuml', () => {
    expect([
      htmlEntities.get(160),
      htmlEntities.get(255),
      htmlEntities.get(937),
      htmlEntities.get(962),
    ]).toEqual(['nbsp', 'yuml', 'Omega', 'sigmaf']);
  });
});

describe('regex safety', () => {
  it('survives catastrophic patterns through the linear-time fallback', () => {
    const evil = `${'a'.repeat(40)}!`;
    expect(callFunction('MATCHES', [evil, '(a+)+'])).toEqual(ok(false));
    expect(callFunction('MATCHES', [evil.toUpperCase(), '(?i)(a|aa)+'])).toEqual(ok(false));
    expect(callFunction('STRINGMATCHES', [evil, '(a*)*b'])).toEqual(ok([]));
  });
  it('refuses what the linear-time engine cannot run (lookaround, back-references)', () => {
    const NOT_LINEAR = 'ERR_REGEX_NOT_LINEAR';
    expect(callFunction('MATCHES', ['aaa', '(?=a)(a+)+'])).toEqual(fails(NOT_LINEAR));
    expect(callFunction('MATCHES', ['aa', '(a)(\\1|a)+'])).toEqual(fails(NOT_LINEAR));
    expect(callFunction('MATCHES', ['aa', '(?=a)a+'])).toEqual(fails(NOT_LINEAR));
    expect(callFunction('SPLIT', ['a1b2', '(?<=\\d)'])).toEqual(fails(NOT_LINEAR));
    expect(callFunction('MATCHES', ['aa', 'a{1,100}'])).toEqual(fails(NOT_LINEAR));
  });
  it('bounds pattern length and input length', () => {
    expect(callFunction('MATCHES', ['a', 'a'.repeat(1001)])).toEqual(fails(LIMIT));
    expect(callFunction('MATCHES', ['a'.repeat(1_000_001), 'a+'])).toEqual(fails(LIMIT));
    expect(callFunction('REPLACE', ['x'.repeat(600_000), 'x', 'yy'])).toEqual(fails(LIMIT));
  });
});
