/**
 * Exact rational arithmetic for doses: 28 vs 28.5 mcg/day, 1.5 mg/kg × 70 kg = 105 mg and
 * 1.8 mg/m² × 1.9 m² = 3.42 mg must compare exactly at the boundary, which binary floating point
 * does not (1.8 × 100 is 180.00000000000003). Numbers enter through their shortest decimal form
 * (what the request or the document wrote), so no binary rounding error is ever carried in.
 */
export interface Exact {
  /** numerator / denominator, denominator > 0, in lowest terms. */
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function make(n: bigint, d: bigint): Exact {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) return make(-n, -d);
  const divisor = gcd(n, d);
  return divisor > 1n ? { n: n / divisor, d: d / divisor } : { n, d };
}

export const ZERO: Exact = { n: 0n, d: 1n };
export const ONE: Exact = { n: 1n, d: 1n };

/** The exact value of a number's shortest decimal form ("1e-7", "28.5", "105"). */
export function exact(value: number): Exact {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return { n: BigInt(value), d: 1n };
  const text = String(value);
  const [mantissa = '0', exponentText] = text.split('e');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? mantissa.slice(1) : mantissa).split('.');
  let n = BigInt(whole + fraction) * (negative ? -1n : 1n);
  let d = 10n ** BigInt(fraction.length);
  if (exponent > 0) n *= 10n ** BigInt(exponent);
  else if (exponent < 0) d *= 10n ** BigInt(-exponent);
  return make(n, d);
}

export const add = (a: Exact, b: Exact): Exact => make(a.n * b.d + b.n * a.d, a.d * b.d);
export const subtract = (a: Exact, b: Exact): Exact => make(a.n * b.d - b.n * a.d, a.d * b.d);
export const multiply = (a: Exact, b: Exact): Exact => make(a.n * b.n, a.d * b.d);
export const divide = (a: Exact, b: Exact): Exact => make(a.n * b.d, a.d * b.n);
export const compare = (a: Exact, b: Exact): -1 | 0 | 1 => {
  const left = a.n * b.d;
  const right = b.n * a.d;
  return left < right ? -1 : left > right ? 1 : 0;
};
export const isZero = (a: Exact): boolean => a.n === 0n;
export const minimum = (a: Exact, b: Exact): Exact => (compare(a, b) <= 0 ? a : b);
export const maximum = (a: Exact, b: Exact): Exact => (compare(a, b) >= 0 ? a : b);

export type Rounding = 'UP' | 'DOWN' | 'NEAREST';

/** Rounds to a whole multiple of step: UP is the ceiling, DOWN the floor, NEAREST rounds half up. */
export function roundTo(value: Exact, step: Exact, rounding: Rounding): Exact {
  const ratio = divide(value, step);
  const floor = ratio.n >= 0n ? ratio.n / ratio.d : -((-ratio.n + ratio.d - 1n) / ratio.d);
  const remainder = subtract(ratio, { n: floor, d: 1n });
  let whole = floor;
  if (rounding === 'UP' && !isZero(remainder)) whole = floor + 1n;
  if (rounding === 'NEAREST' && compare(remainder, { n: 1n, d: 2n }) >= 0) whole = floor + 1n;
  return multiply({ n: whole, d: 1n }, step);
}

/** The nearest double, through a 20-digit decimal (dividing two rounded doubles would round twice or overflow). */
export function toNumber(value: Exact): number {
  if (value.n === 0n) return 0;
  const negative = value.n < 0n;
  const n = negative ? -value.n : value.n;
  // Scale so the quotient has about 20 significant digits, then let parseFloat round once.
  const shift = 20 - (n.toString().length - value.d.toString().length);
  const scaled = shift >= 0 ? (n * 10n ** BigInt(shift)) / value.d : n / (value.d * 10n ** BigInt(-shift));
  return (negative ? -1 : 1) * Number.parseFloat(`${scaled.toString()}e${-shift}`);
}

/** A readable decimal: exact when the value terminates, otherwise to 6 significant digits marked "≈". */
export function formatExact(value: Exact): string {
  let d = value.d;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  if (d !== 1n) return `≈${Number(toNumber(value).toPrecision(6))}`;
  let scale = 0;
  while ((10n ** BigInt(scale)) % value.d !== 0n) scale += 1;
  const scaled = (value.n * 10n ** BigInt(scale)) / value.d;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return `${negative ? '-' : ''}${text}`;
}
