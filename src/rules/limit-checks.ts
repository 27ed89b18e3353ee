import type { QuantitativeLimit } from '../domain/document.ts';
import type { Expression, LimitReference, Term } from './expression.ts';
import { LIMIT_REFERENCES, operandsOf, TERM_OPERATORS } from './expression.ts';
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

export function describeLimitParts(limit: {
  kind: string; amount: number; unit: string; per?: readonly string[]; qualifier?: string | null; condition?: string | null;
  cap?: { amount: number; unit: string } | null; interval?: { amount: number; unit: string } | null;
}): string {
  return `{ kind: ${limit.kind}, amount: ${limit.amount}, unit: ${limit.unit}, per: [${(limit.per ?? []).join(', ')}]${limit.cap ? `, cap: { amount: ${limit.cap.amount}, unit: ${limit.cap.unit} }` : ''}${limit.interval ? `, interval: { amount: ${limit.interval.amount}, unit: ${limit.interval.unit} }` : ''}${limit.qualifier ? `, qualifier: ${limit.qualifier}` : ''}${limit.condition ? `, condition: ${limit.condition}` : ''} }`;
}

const sameQuantity = (a: { amount: number; unit: string } | undefined, b: { amount: number; unit: string } | null): boolean =>
  (a === undefined && b === null) || (a !== undefined && b !== null && a.amount === b.amount && a.unit === b.unit);

/** Whether a declaration states exactly the limit the parser read: every number, unit and circumstance. */
export function sameLimit(declared: LimitDeclaration, parsed: QuantitativeLimit): boolean {
  return (
    declared.kind === parsed.kind &&
    declared.amount === parsed.amount &&
    declared.unit === parsed.unit &&
    (declared.per ?? []).join('/') === parsed.per.join('/') &&
    sameQuantity(declared.cap, parsed.cap) &&
    sameQuantity(declared.interval, parsed.interval) &&
    (declared.qualifier ?? null) === parsed.qualifier &&
    (declared.condition ?? null) === parsed.condition
  );
}

export interface LimitReferenceUse {
  readonly reference: LimitReference;
  readonly operator: string;
  /** Whether the reference is on the right of the comparison (`value > $limit`) or the left. */
  readonly side: 'left' | 'right';
  /** Whether the comparison sits under a `not`. */
  readonly negated: boolean;
  /** +1 when the reference grows the side it is on, -1 when it shrinks it (a divisor: 400 mg × interval ÷ $interval). */
  readonly polarity: 1 | -1;
}

/**
 * The limit references in a term, each with its polarity: +1 where a larger limit makes the term
 * larger, -1 where it makes it smaller (a divisor, or what is subtracted). Facts and limits are
 * positive quantities, so products, sums, minima, maxima and rounding keep the polarity.
 */
function termReferences(term: Term, polarity: 1 | -1 = 1): { reference: LimitReference; polarity: 1 | -1 }[] {
  if (typeof term === 'string') return [{ reference: term, polarity }];
  // The divisor and what is subtracted shrink the term as they grow.
  const flips = typeof term === 'object' && ('divide' in term || 'minus' in term);
  return operandsOf(term).flatMap((operand, index) => termReferences(operand, flips && index === 1 ? (polarity === 1 ? -1 : 1) : polarity));
}

/**
 * Every comparison with "$limit", "$cap" or "$interval" in an expression: its operator, the side the
 * reference is on and whether it sits under a `not`. An exclusion states a maximum: it may only be
 * met when a value exceeds the limit (`gt`/`ge`, not negated); `lt`, `le` or a `not` around it
 * would deny what the text allows and allow what it denies.
 */
export function limitReferences(expression: Expression, negated = false): LimitReferenceUse[] {
  if ('all' in expression) return expression.all.flatMap((child) => limitReferences(child, negated));
  if ('any' in expression) return expression.any.flatMap((child) => limitReferences(child, negated));
  if ('not' in expression) return limitReferences(expression.not, !negated);
  if ('atLeast' in expression) return expression.of.flatMap((child) => limitReferences(child, negated));
  if ('compare' in expression) {
    return TERM_OPERATORS.flatMap((operator) => {
      const right = expression[operator];
      if (right === undefined) return [];
      return [
        ...termReferences(expression.compare).map(({ reference, polarity }) => ({ reference, polarity, operator, side: 'left' as const, negated })),
        ...termReferences(right).map(({ reference, polarity }) => ({ reference, polarity, operator, side: 'right' as const, negated })),
      ];
    });
  }
  const record = expression as Record<string, unknown>;
  return (['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const).flatMap((operator) => {
    const operand = record[operator];
    return typeof operand === 'string' && (LIMIT_REFERENCES as readonly string[]).includes(operand) ? [{ reference: operand as LimitReference, operator, side: 'right' as const, negated, polarity: 1 as const }] : [];
  });
}

/** Whether an expression still holds a decision nobody has made (a `todo`), at any depth. */
export function containsTodo(expression: Expression): boolean {
  if ('todo' in expression) return true;
  if ('all' in expression) return expression.all.some(containsTodo);
  if ('any' in expression) return expression.any.some(containsTodo);
  if ('not' in expression) return containsTodo(expression.not);
  if ('atLeast' in expression) return expression.of.some(containsTodo);
  return false;
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

function termFacts(term: Term): string[] {
  if (typeof term === 'object' && 'fact' in term) return [term.fact];
  return operandsOf(term).flatMap(termFacts);
}

function hasReference(term: Term): boolean {
  return termReferences(term).length > 0;
}

/** What a term is built from: its operators and whether it holds a literal quantity. */
function termParts(term: Term, parts: Set<string> = new Set()): Set<string> {
  const kinds = ['fact', 'quantity', 'round', 'times', 'divide', 'plus', 'minus', 'min', 'max'] as const;
  parts.add(typeof term === 'string' ? term : (kinds.find((kind) => kind in term) as string));
  for (const operand of operandsOf(term)) termParts(operand, parts);
  return parts;
}

function expressionHasReference(expression: Expression): boolean {
  return limitReferences(expression).length > 0;
}

export interface ShapeProblem {
  readonly kind: 'shape' | 'condition';
  readonly message: string;
  readonly hint: string;
}

/**
 * The shapes a rule may give a stated limit, so that what it compares is the text's limit and
 * nothing else: the requested value (facts only) against the limit, multiplied by the member's
 * weight or body surface area, divided into an interval, capped with min — never plus, minus, max,
 * rounding or a literal number around it (each would move the boundary: "$limit × 10", "max(…, 5000 mg)").
 * Comparisons are combined with any (the text is exceeded when any part is); a comparison that is
 * not with the limit is a condition of its own ("kind: condition"), which needs an interpretation.
 */
export function limitShapeProblems(expression: Expression): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  // The facts compared with the limit: a literal comparison on one of them ("requestedDose > 4999")
  // would move the boundary whatever an interpretation says.
  const requested = new Set<string>();
  const collect = (node: Expression): void => {
    if ('any' in node) return node.any.forEach(collect);
    if ('all' in node) return node.all.forEach(collect);
    if ('not' in node) return collect(node.not);
    if ('atLeast' in node) return node.of.forEach(collect);
    if (!expressionHasReference(node)) return;
    if ('compare' in node) termFacts(node.compare).forEach((key) => requested.add(key));
    else if ('fact' in node) requested.add(node.fact);
    else if ('sum' in node) node.sum.forEach((key) => requested.add(key));
    else if ('daysSince' in node) requested.add(node.daysSince);
  };
  collect(expression);
  const walk = (node: Expression): void => {
    if ('any' in node) return node.any.forEach(walk);
    if ('all' in node) {
      const referencing = node.all.filter(expressionHasReference);
      if (referencing.length > 1) {
        problems.push({ kind: 'shape', message: 'all of two comparisons with the limit is met only when both are exceeded, and the text is exceeded when either is', hint: 'combine comparisons with the limit under any' });
      }
      return node.all.forEach(walk);
    }
    if ('not' in node) return walk(node.not);
    if ('atLeast' in node) {
      if (node.of.some(expressionHasReference)) problems.push({ kind: 'shape', message: 'atLeast over comparisons with the limit needs several to be exceeded, and the text is exceeded when one is', hint: 'combine comparisons with the limit under any' });
      return node.of.forEach(walk);
    }
    if (!expressionHasReference(node)) {
      const reads = 'compare' in node ? termFacts(node.compare) : 'fact' in node ? [node.fact] : 'sum' in node ? [...node.sum] : 'daysSince' in node ? [node.daysSince] : [];
      if (reads.some((key) => requested.has(key))) {
        problems.push({ kind: 'shape', message: `a comparison of ${reads.filter((key) => requested.has(key)).join(', ')} with something other than the limit moves the boundary the text states`, hint: 'compare the requested value with $limit (or $cap, $interval) only' });
        return;
      }
      if (!('todo' in node)) problems.push({ kind: 'condition', message: 'a comparison that is not with the limit narrows or widens when the exclusion is met', hint: 'say when the limit applies with appliesWhen, or add an interpretation citing the criterion that says why' });
      return;
    }
    if (!('compare' in node)) return;
    const right = (['gt', 'ge', 'lt', 'le', 'eq'] as const).map((operator) => node[operator]).find((term) => term !== undefined);
    if (hasReference(node.compare) || termParts(node.compare).has('quantity')) {
      problems.push({ kind: 'shape', message: 'the requested side of a comparison with the limit must be read from the request alone (no limit, no literal number)', hint: '{ compare: { fact: requestedDose }, gt: … }' });
    }
    if (right !== undefined) {
      const parts = termParts(right);
      const foreign = ['plus', 'minus', 'max', 'round', 'quantity'].filter((part) => parts.has(part));
      if (foreign.length > 0) {
        problems.push({ kind: 'shape', message: `the limit side uses ${foreign.join(', ')}, which moves the boundary the text states`, hint: 'only $limit, $cap and $interval, times the member\'s facts (weight, body surface area, interval), divided into an interval, capped with min' });
      }
      for (const { reference, polarity } of termReferences(right)) {
        if (reference !== '$interval' && polarity === -1) problems.push({ kind: 'shape', message: `${reference} is a divisor here, which turns the maximum into a minimum`, hint: `multiply by ${reference}, never divide by it` });
      }
    }
  };
  walk(expression);
  return problems;
}
