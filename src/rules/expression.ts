/**
 * The rule language: a small typed expression tree, authored in YAML beside each guideline and
 * compiled once per version. Values compare against named facts of the request; dates and ages are
 * relative to the date of service, which is always an input.
 */

export type Scalar = string | number | boolean;

/**
 * "$limit" stands for the amount of the exclusion's declared limit (1.8 mg/kg), "$cap" for its
 * ceiling ("up to a maximum of 180 mg") and "$interval" for its interval ("every 3 weeks"): each
 * with its unit, each checked against the numbers the parser read from the text.
 */
export type LimitReference = '$limit' | '$cap' | '$interval';
export const LIMIT_REFERENCES: readonly LimitReference[] = ['$limit', '$cap', '$interval'];
export type NumberOrLimit = number | LimitReference;

/** How a quantity is rounded to a whole multiple of a step: UP is the ceiling, NEAREST rounds half up. */
export type RoundingMode = 'UP' | 'DOWN' | 'NEAREST';

/**
 * A quantity with a UCUM unit, computed from facts, limits and literals. Units are checked when the
 * rule set compiles (mg/kg × kg = mg; mg with mg/m2 is an error) and values are exact rationals.
 */
export type Term =
  | LimitReference
  | { readonly fact: string }
  | { readonly quantity: number; readonly unit: string }
  | { readonly times: readonly Term[] }
  | { readonly divide: readonly [Term, Term] }
  | { readonly plus: readonly Term[] }
  | { readonly minus: readonly [Term, Term] }
  | { readonly min: readonly Term[] }
  | { readonly max: readonly Term[] }
  | { readonly round: Term; readonly to: { readonly quantity: number; readonly unit: string }; readonly mode: RoundingMode };

/** The terms a compound term is made of (none for a reference, fact or literal). */
export function operandsOf(term: Term): readonly Term[] {
  if (typeof term === 'string' || 'fact' in term || 'quantity' in term) return [];
  if ('round' in term) return [term.round];
  return 'times' in term ? term.times : 'divide' in term ? term.divide : 'plus' in term ? term.plus : 'minus' in term ? term.minus : 'min' in term ? term.min : term.max;
}

export interface TermComparison {
  readonly lt?: Term;
  readonly le?: Term;
  readonly gt?: Term;
  readonly ge?: Term;
  readonly eq?: Term;
}
export const TERM_OPERATORS = ['lt', 'le', 'gt', 'ge', 'eq'] as const;

export interface Comparison {
  readonly eq?: Scalar;
  readonly ne?: Scalar;
  readonly lt?: NumberOrLimit;
  readonly le?: NumberOrLimit;
  readonly gt?: NumberOrLimit;
  readonly ge?: NumberOrLimit;
  readonly in?: readonly Scalar[];
  readonly between?: readonly [number, number];
}

export type Expression =
  | { readonly all: readonly Expression[] }
  | { readonly any: readonly Expression[] }
  | { readonly not: Expression }
  /** Always true or always false: allowed only with an interpretation that cites the criterion and says why. */
  | { readonly constant: boolean }
  /** A decision a reviewer has not made yet (drafts): always a compile problem, never decided. */
  | { readonly todo: string }
  | { readonly atLeast: number; readonly of: readonly Expression[] }
  | ({ readonly fact: string } & Comparison)
  /** Compares two quantities, each a Term, after converting both to one unit exactly. */
  | ({ readonly compare: Term } & TermComparison)
  | ({ readonly sum: readonly string[] } & Comparison)
  | ({ readonly daysSince: string } & Comparison)
  | { readonly ageAtLeast: { readonly birthDate: string; readonly value: number; readonly unit: 'day' | 'week' | 'month' | 'year' } }
  /** The date fact lies within the given calendar period before the date of service (inclusive). */
  | { readonly withinLast: { readonly date: string; readonly value: number; readonly unit: 'day' | 'week' | 'month' | 'year' } }
  | ({ readonly field: string } & Comparison);

export const COMPARISON_OPERATORS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'between'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
