// Exact decimal expansion of a double and HALF_EVEN rounding on it (what Java's DecimalFormat does).

/** The exact decimal digits of |x|: integer part and fraction part (no sign, no exponent). */
export function exactDecimal(x: number): { int: string; frac: string } {
  if (Number.isSafeInteger(x)) return { int: String(Math.abs(x)), frac: '' };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  if (mant === 0n) return { int: '0', frac: '' };
  if (exp >= 0) return { int: (mant << BigInt(exp)).toString(), frac: '' };
  const scale = -exp;
  const s = (mant * 5n ** BigInt(scale)).toString().padStart(scale + 1, '0');
  const int = s.slice(0, s.length - scale).replace(/^0+(?=\d)/, '');
  const frac = s.slice(s.length - scale).replace(/0+$/, '');
  return { int, frac };
}

/** java.math.RoundingMode names accepted by FORMATNUMBER. */
export const ROUNDING_MODES = [
  'UP',
  'DOWN',
  'CEILING',
  'FLOOR',
  'HALF_UP',
  'HALF_DOWN',
  'HALF_EVEN',
  'UNNECESSARY',
] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/**
 * Rounds |x| to `digits` fraction digits on the exact binary value (as Java's DecimalFormat does);
 * `negative` tells CEILING and FLOOR which way is up. Returns null for UNNECESSARY when rounding
 * would be needed (Java throws ArithmeticException).
 */
export function roundDecimal(
  x: number,
  digits: number,
  mode: RoundingMode = 'HALF_EVEN',
  negative = false,
): { int: string; frac: string } | null {
  const { int, frac } = exactDecimal(x);
  return roundDigits(int, frac, digits, mode, negative);
}

/** Rounds the decimal `int.frac` (digit strings) to `digits` fraction digits; see roundDecimal. */
export function roundDigits(
  int: string,
  frac: string,
  digits: number,
  mode: RoundingMode = 'HALF_EVEN',
  negative = false,
): { int: string; frac: string } | null {
  if (frac.length <= digits) return { int, frac: frac.padEnd(digits, '0') };
  const kept = frac.slice(0, digits);
  const first = frac.charCodeAt(digits) - 48;
  const restNonZero = /[1-9]/.test(frac.slice(digits + 1));
  const anyRest = first > 0 || restNonZero;
  const lastKept =
    (kept.length > 0 ? kept.charCodeAt(kept.length - 1) : int.charCodeAt(int.length - 1)) - 48;
  let up: boolean;
  switch (mode) {
    case 'UP':
      up = anyRest;
      break;
    case 'DOWN':
      up = false;
      break;
    case 'CEILING':
      up = anyRest && !negative;
      break;
    case 'FLOOR':
      up = anyRest && negative;
      break;
    case 'HALF_UP':
      up = first >= 5;
      break;
    case 'HALF_DOWN':
      up = first > 5 || (first === 5 && restNonZero);
      break;
    case 'UNNECESSARY':
      if (anyRest) return null;
      up = false;
      break;
    default:
      up = first > 5 || (first === 5 && (restNonZero || lastKept % 2 === 1));
  }
  if (!up) return { int, frac: kept };
  const bumped = (BigInt(int + kept) + 1n).toString().padStart(int.length + digits, '0');
  return {
    int: bumped.slice(0, bumped.length - digits) || '0',
    frac: bumped.slice(bumped.length - digits),
  };
}
