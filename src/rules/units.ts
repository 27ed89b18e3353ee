import ucum from '@lhncbc/ucum-lhc';
import type { Quantity, QuantitativeLimit } from '../domain/document.ts';
import type { Exact } from './exact.ts';
import { compare, divide, exact, ONE, toNumber } from './exact.ts';

/**
 * Units of measure as data: every fact, limit and authorized quantity carries a UCUM code (the
 * units FHIR Quantity and CQL use), validated and converted by the UCUM library. Two things UCUM
 * itself does not do are checked here: annotations ({cycle}, {dose}) are dimensionless in UCUM, so
 * mg/{cycle} would convert silently to mg/{dose}; and a month or a year is not a fixed number of
 * days (UCUM's mo is 30.4375 d), so calendar units convert only to themselves.
 */

const utils = ucum.UcumLhcUtils.getInstance();

/** The words the parser normalizes a limit's units to, and their UCUM codes. */
const UCUM_OF_WORD: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  mcg: 'ug', mg: 'mg', g: 'g', mL: 'mL', unit: '[iU]',
  day: 'd', week: 'wk', month: 'mo', year: 'a',
  cycle: '{cycle}', dose: '{dose}', infusion: '{infusion}',
  m2: 'm2', kg: 'kg',
});

/** The UCUM code for a unit word of a parsed document ("mcg" → "ug"), or null when it has none. */
export function ucumOfWord(word: string): string | null {
  return UCUM_OF_WORD[word] ?? null;
}

export interface UnitQuantity {
  readonly value: Exact;
  /** UCUM code. */
  readonly unit: string;
}

/** The amount of a parsed limit as a UCUM quantity: 1.8 mg per [m2, cycle] → 1.8 mg/m2/{cycle}. */
export function limitAmount(limit: QuantitativeLimit): UnitQuantity | null {
  const parts = [limit.unit, ...limit.per].map(ucumOfWord);
  if (parts.some((part) => part === null)) return null;
  return { value: exact(limit.amount), unit: parts.join('/') };
}

export function quantityOf(quantity: Quantity): UnitQuantity | null {
  const unit = ucumOfWord(quantity.unit);
  return unit === null ? null : { value: exact(quantity.amount), unit };
}

/** Why a unit code is not valid UCUM, or null when it is. */
export function unitProblem(unit: string): string | null {
  const checked = utils.validateUnitString(unit, true);
  if (checked.status === 'valid' && checked.ucumCode === unit) return null;
  const hint = checked.ucumCode && checked.ucumCode !== unit ? ` (UCUM writes it "${checked.ucumCode}")`
    : unit.includes('mcg') ? ' (UCUM writes micrograms "ug")'
      : ['cycle', 'dose', 'infusion', 'cycles', 'doses'].includes(unit) ? ` (a count is an annotation in UCUM: "{${unit.replace(/s$/, '')}}")`
        : unit === 'day' || unit === 'days' ? ' (UCUM writes days "d")' : '';
  return `"${unit}" is not a UCUM unit${hint}`;
}

export const multiplyUnits = (a: string, b: string): string => (a === '1' ? b : b === '1' ? a : `(${a}).(${b})`);
export const divideUnits = (a: string, b: string): string => (b === '1' ? a : `(${a})/(${b})`);

const CALENDAR_ATOMS = new Set(['mo', 'a', 'mo_j', 'a_j', 'mo_g', 'a_g', 'mo_s', 'a_t']);

/**
 * The exponents of a unit's annotations and calendar atoms, e.g. "(mg/m2/{cycle}).(m2)" →
 * "{cycle}:-1": what UCUM's conversion ignores or approximates, and so must match exactly.
 */
function signature(unit: string): string {
  const exponents = new Map<string, number>();
  let index = 0;
  const bump = (key: string, by: number): void => void exponents.set(key, (exponents.get(key) ?? 0) + by);
  const term = (sign: number): void => {
    let operatorSign = sign;
    if (unit[index] === '/') {
      operatorSign = -sign;
      index += 1;
    }
    component(operatorSign);
    while (index < unit.length && (unit[index] === '.' || unit[index] === '/')) {
      operatorSign = unit[index] === '/' ? -sign : sign;
      index += 1;
      component(operatorSign);
    }
  };
  const component = (sign: number): void => {
    if (unit[index] === '(') {
      index += 1;
      term(sign);
      index += 1; // ")"
      while (index < unit.length && /[0-9+-]/.test(unit[index] ?? '')) index += 1;
      return;
    }
    let atom = '';
    while (index < unit.length && !'./(){'.includes(unit[index] ?? '')) atom += unit[index++];
    // The atom without its exponent ("m2" → "m", "s-1" → "s"), read by hand: no regular expression on input text.
    let end = atom.length;
    while (end > 0 && (atom[end - 1] ?? '') >= '0' && (atom[end - 1] ?? '') <= '9') end -= 1;
    if (end > 0 && end < atom.length && (atom[end - 1] === '-' || atom[end - 1] === '+')) end -= 1;
    const bare = atom.slice(0, end);
    if (CALENDAR_ATOMS.has(bare)) bump(bare, sign * Number(atom.slice(bare.length) || '1'));
    if (unit[index] === '{') {
      const end = unit.indexOf('}', index);
      bump(unit.slice(index, end + 1), sign);
      index = end + 1;
    }
  };
  term(1);
  return [...exponents].filter(([, exponent]) => exponent !== 0).map(([key, exponent]) => `${key}:${exponent}`).sort().join(' ');
}

const calendarIn = (signatureText: string): boolean => signatureText.split(' ').some((part) => CALENDAR_ATOMS.has(part.slice(0, part.lastIndexOf(':'))));

/**
 * UCUM's factors are decimal definitions (1 lb = 0.45359237 kg, 1 wk = 7 d), computed by the library
 * in floating point: the exact factor is the 12-digit decimal of one direction or the inverse of
 * the other (d → wk is 1/7, no decimal), whichever agrees with both directions; the smallest
 * denominator wins. None agreeing means no exact conversion, and the comparison is refused.
 */
function exactConversion(forward: number, backward: number): Exact | null {
  const close = (candidate: Exact, target: number): boolean => Math.abs(toNumber(candidate) - target) <= Math.abs(target) * 1e-13;
  const candidates = [exact(Number(forward.toPrecision(12))), divide(ONE, exact(Number(backward.toPrecision(12))))]
    .filter((candidate) => close(candidate, forward) && close(divide(ONE, candidate), backward))
    .sort((a, b) => compare({ n: a.d, d: 1n }, { n: b.d, d: 1n }));
  return candidates[0] ?? null;
}

const factors = new Map<string, { factor: Exact } | { problem: string }>();

/**
 * The exact factor that converts a value in `from` to `to` (1000 for mg → ug), or why the two
 * cannot be compared ("mg cannot be compared with mg/m2"). Memoized: compile time only.
 */
export function conversion(from: string, to: string): { factor: Exact } | { problem: string } {
  const key = `${from}\u0000${to}`;
  const known = factors.get(key);
  if (known) return known;
  let result: { factor: Exact } | { problem: string };
  if (from === to) result = { factor: ONE };
  else if (signature(from) !== signature(to)) {
    result = { problem: `${from} cannot be compared with ${to}: ${calendarIn(signature(from)) || calendarIn(signature(to)) ? 'a month or a year is not a fixed number of days' : 'their counts ({cycle}, {dose}, …) differ'}` };
  } else {
    const converted = utils.convertUnitTo(from, 1, to);
    const back = utils.convertUnitTo(to, 1, from);
    if (converted.status !== 'succeeded' || converted.toVal === null || !(converted.toVal > 0) || back.status !== 'succeeded' || back.toVal === null) {
      result = { problem: `${from} cannot be compared with ${to}: they measure different things` };
    } else {
      const factor = exactConversion(converted.toVal, back.toVal);
      result = factor ? { factor } : { problem: `${from} cannot be compared with ${to} exactly (the factor ${converted.toVal} is no short decimal either way)` };
    }
  }
  factors.set(key, result);
  return result;
}

/** Whether two units convert exactly into each other (mg and ug do; mg and mg/m2, {cycle} and {dose} do not). */
export function sameDimension(a: string, b: string): boolean {
  return 'factor' in conversion(a, b);
}
