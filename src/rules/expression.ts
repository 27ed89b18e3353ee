/**
 * The rule language: a small typed expression tree, authored in YAML beside each guideline and
 * compiled once per version. Values compare against named facts of the request; dates and ages are
 * relative to the date of service, which is always an input.
 */

export type Scalar = string | number | boolean;

/** "$limit" stands for the amount of the exclusion's declared limit, itself checked against the text. */
export type NumberOrLimit = number | '$limit';

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
  | ({ readonly sum: readonly string[] } & Comparison)
  | ({ readonly daysSince: string } & Comparison)
  | { readonly ageAtLeast: { readonly birthDate: string; readonly value: number; readonly unit: 'day' | 'week' | 'month' | 'year' } }
  /** The date fact lies within the given calendar period before the date of service (inclusive). */
  | { readonly withinLast: { readonly date: string; readonly value: number; readonly unit: 'day' | 'week' | 'month' | 'year' } }
  | ({ readonly field: string } & Comparison);

export const COMPARISON_OPERATORS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'between'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
