import type { QuantitativeLimit } from '../domain/document.ts';
import type { Expression } from './expression.ts';
import type { LimitDeclaration } from './rule-set.ts';

/** Checks of a rule's declared limit against the limit the parser read from the text, and the words that explain a mismatch. */

/** "… the Blincyto …" vs "… the Blinctyo …" → the first word where two texts part, for a message a person can act on. */
export function firstWordDifference(expected: string, found: string): string {
  const left = expected.split(' ');
  const right = found.split(' ');
  const at = left.findIndex((word, index) => word !== right[index]);
  const index = at < 0 ? left.length : at;
  return `they differ at word ${index + 1}: the version has "${left[index] ?? '(end)'}", the rule set "${right[index] ?? '(end)'}"`;
}

export function describeLimitParts(limit: { kind: string; amount: number; unit: string; per?: readonly string[]; qualifier?: string | null }): string {
  return `{ kind: ${limit.kind}, amount: ${limit.amount}, unit: ${limit.unit}, per: [${(limit.per ?? []).join(', ')}]${limit.qualifier ? `, qualifier: ${limit.qualifier}` : ''} }`;
}

export function sameLimit(declared: LimitDeclaration, parsed: QuantitativeLimit): boolean {
  return (
    declared.kind === parsed.kind &&
    declared.amount === parsed.amount &&
    declared.unit === parsed.unit &&
    (declared.per ?? []).join('/') === parsed.per.join('/') &&
    (declared.qualifier ?? null) === parsed.qualifier
  );
}

/**
 * Parts of a limit in the text that a declaration cannot express yet (a cap, an interval, a
 * condition, an alternative): comparing a fact with the amount alone would approve what the text
 * denies (1.8 mg/kg for a 120 kg member is 216 mg, over the 180 mg cap), so such a limit is refused.
 */
export function uncheckableParts(limit: QuantitativeLimit): string[] {
  return [
    ...(limit.cap ? [`a cap of ${limit.cap.amount} ${limit.cap.unit}`] : []),
    ...(limit.interval ? [`an interval of every ${limit.interval.amount} ${limit.interval.unit}`] : []),
    ...(limit.condition ? [`the condition "${limit.condition}"`] : []),
    ...(limit.alternative ? ['being the alternative part of a two-part limit'] : []),
  ];
}

export function limitUnit(limit: QuantitativeLimit): string {
  return [limit.unit, ...limit.per].join('/');
}

/** The fact keys compared against "$limit" in an expression. */
export function factsComparedWithLimit(expression: Expression): string[] {
  if ('all' in expression) return expression.all.flatMap(factsComparedWithLimit);
  if ('any' in expression) return expression.any.flatMap(factsComparedWithLimit);
  if ('not' in expression) return factsComparedWithLimit(expression.not);
  if ('atLeast' in expression) return expression.of.flatMap(factsComparedWithLimit);
  if ('constant' in expression || 'todo' in expression) return [];
  const usesLimit = (['lt', 'le', 'gt', 'ge'] as const).some((operator) => (expression as Record<string, unknown>)[operator] === '$limit');
  if (!usesLimit) return [];
  if ('fact' in expression) return [expression.fact];
  if ('sum' in expression) return [...expression.sum];
  return [];
}

/**
 * How an expression compares with "$limit", with whether the comparison sits under a `not`. An
 * exclusion states a maximum: it may only be met when a value exceeds the limit (`gt`/`ge`, not
 * negated); `lt`, `le` or a `not` around it would deny what the text allows and allow what it denies.
 */
export function limitComparisons(expression: Expression, negated = false): { operator: string; negated: boolean }[] {
  if ('all' in expression) return expression.all.flatMap((child) => limitComparisons(child, negated));
  if ('any' in expression) return expression.any.flatMap((child) => limitComparisons(child, negated));
  if ('not' in expression) return limitComparisons(expression.not, !negated);
  if ('atLeast' in expression) return expression.of.flatMap((child) => limitComparisons(child, negated));
  return (['lt', 'le', 'gt', 'ge'] as const).filter((operator) => (expression as Record<string, unknown>)[operator] === '$limit').map((operator) => ({ operator, negated }));
}

/** Whether an expression decides anything from a constant, at any depth. */
export function containsConstant(expression: Expression): boolean {
  if ('constant' in expression) return true;
  if ('all' in expression) return expression.all.some(containsConstant);
  if ('any' in expression) return expression.any.some(containsConstant);
  if ('not' in expression) return containsConstant(expression.not);
  if ('atLeast' in expression) return expression.of.some(containsConstant);
  return false;
}
