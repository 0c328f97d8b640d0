// DecimalFormat scientific notation (0.###E0, ##0.##E0): significant digits rounded on the exact double.
import { argValueError } from '../function-def.js';
import type { NumberPattern, NumberSymbols } from './decimal-format.js';
import type { RoundingMode } from './exact-decimal.js';
import { exactDecimal, roundDigits } from './exact-decimal.js';

/**
 * Java rules: when the pattern allows more integer digits than it requires (and more than one) the
 * exponent is a multiple of that maximum ("engineering" notation, ##0.##E0); otherwise the exponent
 * leaves exactly the minimum integer digits. The mantissa keeps minInt + maxFrac significant digits.
 */
export function formatScientific(
  value: number,
  p: NumberPattern,
  sym: NumberSymbols,
  mode: RoundingMode,
): string {
  const negative = value < 0 || Object.is(value, -0);
  const x = Math.abs(value) * p.multiplier;
  const engineering = p.maxInt > p.minInt && p.maxInt > 1;
  const minInt = engineering ? 1 : Math.max(p.minInt, 1);
  const sig = Math.max(1, minInt + p.maxFrac);
  let digits = '0';
  let e10 = 0;
  if (x !== 0) {
    const { int, frac } = exactDecimal(x);
    const all = (int === '0' ? '' : int) + frac;
    const lead = all.search(/[1-9]/);
    e10 = (int === '0' ? 0 : int.length) - lead - 1;
    // Round x scaled to one integer digit; a carry (9.99 → 10.0) bumps the exponent.
    const rounded = roundDigits(
      all.slice(lead, lead + 1),
      all.slice(lead + 1),
      sig - 1,
      mode,
      negative,
    );
    if (rounded === null) {
      return argValueError(
        'FORMATNUMBER',
        'rounding mode UNNECESSARY but the value needs rounding',
      );
    }
    digits = (rounded.int + rounded.frac).replace(/^0+(?=\d)/, '');
    if (rounded.int.length > 1) e10 += 1;
    digits = digits.slice(0, sig);
  }
  const exponent = engineering ? Math.floor(e10 / p.maxInt) * p.maxInt : e10 - (minInt - 1);
  const intCount = x === 0 ? minInt : e10 - exponent + 1;
  const padded = digits.padEnd(Math.max(intCount, digits.length), '0');
  const intPart = padded.slice(0, intCount);
  let fracPart = padded.slice(intCount);
  const minFrac = engineering ? 0 : p.minFrac;
  while (fracPart.length > minFrac && fracPart.endsWith('0')) fracPart = fracPart.slice(0, -1);
  fracPart = fracPart.padEnd(minFrac, '0');
  const mantissa =
    fracPart !== '' || p.showDecimalPoint ? `${intPart}${sym.decimal}${fracPart}` : intPart;
  const exp = `E${exponent < 0 ? sym.minus : ''}${String(Math.abs(exponent)).padStart(p.expDigits, '0')}`;
  const body = mantissa + exp;
  if (!negative) return p.posPrefix + body + p.posSuffix;
  if (p.negPrefix !== undefined) return p.negPrefix + body + (p.negSuffix ?? '');
  return sym.minus + p.posPrefix + body + p.posSuffix;
}
