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

/** Rounds |x| to `digits` fraction digits, ties to even, on the exact binary value. */
export function roundHalfEven(x: number, digits: number): { int: string; frac: string } {
  const { int, frac } = exactDecimal(x);
  if (frac.length <= digits) return { int, frac: frac.padEnd(digits, '0') };
  const kept = frac.slice(0, digits);
  const first = frac.charCodeAt(digits) - 48;
  const restNonZero = /[1-9]/.test(frac.slice(digits + 1));
  const lastKept =
    (kept.length > 0 ? kept.charCodeAt(kept.length - 1) : int.charCodeAt(int.length - 1)) - 48;
  const up = first > 5 || (first === 5 && (restNonZero || lastKept % 2 === 1));
  if (!up) return { int, frac: kept };
  const bumped = (BigInt(int + kept) + 1n).toString().padStart(int.length + digits, '0');
  return {
    int: bumped.slice(0, bumped.length - digits) || '0',
    frac: bumped.slice(bumped.length - digits),
  };
}
