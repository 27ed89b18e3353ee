import type { Exact } from './exact.ts';
import { add, compare, divide, exact, formatExact, isZero, maximum, minimum, multiply, ONE, roundTo, subtract } from './exact.ts';
import type { LimitReference, Term } from './expression.ts';
import type { FactDefinition } from './rule-set.ts';
import type { UnitQuantity } from './units.ts';
import { conversion, divideUnits, multiplyUnits, unitProblem } from './units.ts';

/** What a term reads: fact values by slot (numbers, dates as epoch days); undefined = missing. */
export interface TermInput {
  readonly values: readonly (string | number | boolean | undefined)[];
  readonly dateOfService: number;
}

/** A fact as rules read it: an input fact by slot, or a derived fact computed from inputs. */
export interface FactSource<Value = string | number | boolean> {
  readonly get: (input: TermInput) => Value | undefined;
  readonly definition: FactDefinition;
  /** The input facts it reads: itself, or a derived fact's inputs (what a missing value asks for). */
  readonly facts: readonly string[];
  /** For an input fact, its slot in the request's values: generated code reads it directly. */
  readonly slot?: number;
}

/** A number fact, as terms read it. */
export type NumberSource = FactSource<number>;

/** The quantities "$limit", "$cap" and "$interval" stand for in one rule. */
export interface LimitQuantities {
  readonly $limit: UnitQuantity;
  readonly $cap: UnitQuantity | null;
  readonly $interval: UnitQuantity | null;
}

export interface TermContext {
  readonly numberOf: (key: string) => NumberSource | undefined;
  readonly limit: LimitQuantities | undefined;
  readonly error: (message: string, detail?: { readonly expected?: string; readonly found?: string; readonly hint?: string }) => void;
  /** The error code for a unit mismatch; the compiler reports it apart from other expression problems. */
  readonly unitError: (message: string, detail: { readonly expected: string; readonly found: string; readonly hint?: string }) => void;
}

export interface CompiledTerm {
  readonly evaluate: (input: TermInput) => Exact | undefined;
  /** UCUM code of the result, e.g. "mg" for 1.8 mg/kg × bodyWeight. */
  readonly unit: string;
  readonly facts: readonly string[];
  readonly text: string;
}

const REFERENCE_WORD: Readonly<Record<LimitReference, string>> = { $limit: 'limit', $cap: 'cap', $interval: 'interval' };

export function describeQuantity(quantity: UnitQuantity): string {
  return `${formatExact(quantity.value)} ${quantity.unit}`;
}

function constant(value: Exact, unit: string, text: string): CompiledTerm {
  return { evaluate: () => value, unit, facts: [], text };
}

const failed = (text: string): CompiledTerm => ({ evaluate: () => undefined, unit: '1', facts: [], text });

/** The factor that brings a value in `from` to `to`, or null after reporting why it cannot. */
export function factorBetween(from: string, to: string, what: string, context: TermContext): Exact | null {
  const result = conversion(from, to);
  if ('factor' in result) return result.factor;
  context.unitError(`${what}: ${result.problem}`, { expected: to, found: from, hint: 'multiply or divide by the fact that converts them (weight, body surface area), or declare the fact in the limit\'s unit' });
  return null;
}

/** Compiles a quantity term; every unit is checked here, so evaluation only multiplies exact numbers. */
export function compileTerm(term: Term, context: TermContext): CompiledTerm {
  if (typeof term === 'string') {
    const quantity = context.limit?.[term];
    if (!context.limit) {
      context.error(`"${term}" used but the rule declares no limit`);
      return failed(term);
    }
    if (!quantity) {
      context.error(`"${term}" used but the limit in the text states no ${REFERENCE_WORD[term]}`);
      return failed(term);
    }
    return constant(quantity.value, quantity.unit, describeQuantity(quantity));
  }
  if ('fact' in term) {
    const source = context.numberOf(term.fact);
    if (!source) {
      context.error(`unknown number fact "${term.fact}" (declare it under facts with type number or integer)`);
      return failed(term.fact);
    }
    const { get } = source;
    return { evaluate: (input) => { const value = get(input); return value === undefined ? undefined : exact(value); }, unit: source.definition.unit ?? '1', facts: source.facts, text: term.fact };
  }
  if ('quantity' in term) {
    const problem = unitProblem(term.unit);
    if (problem) context.unitError(problem, { expected: 'a UCUM unit', found: term.unit });
    return constant(exact(term.quantity), term.unit, `${term.quantity} ${term.unit}`);
  }
  if ('times' in term) {
    const children = term.times.map((child) => compileTerm(child, context));
    const evaluators = children.map((child) => child.evaluate);
    return {
      unit: children.map((child) => child.unit).reduce(multiplyUnits),
      facts: unique(children),
      text: children.map((child) => child.text).join(' × '),
      evaluate: (input) => {
        let product: Exact = ONE;
        for (const evaluate of evaluators) {
          const value = evaluate(input);
          if (value === undefined) return undefined;
          product = multiply(product, value);
        }
        return product;
      },
    };
  }
  if ('divide' in term) {
    const [numerator, denominator] = term.divide.map((child) => compileTerm(child, context)) as [CompiledTerm, CompiledTerm];
    // A divisor read from the request must be known to be positive (its declared minimum), so a
    // quotient is never unknown for a reason no question can fix.
    for (const key of denominator.facts) {
      const minimum = context.numberOf(key)?.definition.minimum;
      if (minimum === undefined || minimum <= 0) context.error(`divide: the divisor reads "${key}", which must declare a minimum above 0`);
    }
    return {
      unit: divideUnits(numerator.unit, denominator.unit),
      facts: unique([numerator, denominator]),
      text: `(${numerator.text}) ÷ (${denominator.text})`,
      evaluate: (input) => {
        const top = numerator.evaluate(input);
        const bottom = denominator.evaluate(input);
        // A zero divisor is not a value the request can mean: the quantity stays unknown, never infinite.
        return top === undefined || bottom === undefined || isZero(bottom) ? undefined : divide(top, bottom);
      },
    };
  }
  if ('plus' in term || 'minus' in term || 'min' in term || 'max' in term) {
    const [name, operands, combine, word] =
      'plus' in term ? ['plus', term.plus, add, ' + '] as const
        : 'minus' in term ? ['minus', term.minus, subtract, ' − '] as const
          : 'min' in term ? ['min', term.min, minimum, ', '] as const
            : ['max', term.max, maximum, ', '] as const;
    const children = operands.map((child) => compileTerm(child, context));
    const unit = children[0]?.unit ?? '1';
    // Every operand is brought to the first one's unit: min(1.8 mg/kg × weight, 180 mg) is in mg.
    const scaled = children.map((child) => {
      const factor = factorBetween(child.unit, unit, `${name}(${children.map((other) => other.text).join(', ')})`, context) ?? ONE;
      return factor === ONE || compare(factor, ONE) === 0 ? child.evaluate : (input: TermInput) => { const value = child.evaluate(input); return value === undefined ? undefined : multiply(value, factor); };
    });
    const text = name === 'min' || name === 'max' ? `${name}(${children.map((child) => child.text).join(word)})` : `(${children.map((child) => child.text).join(word)})`;
    return {
      unit, facts: unique(children), text,
      evaluate: (input) => {
        let result: Exact | undefined;
        for (const evaluate of scaled) {
          const value = evaluate(input);
          if (value === undefined) return undefined;
          result = result === undefined ? value : combine(result, value);
        }
        return result;
      },
    };
  }
  if ('round' in term) {
    const child = compileTerm(term.round, context);
    const problem = unitProblem(term.to.unit);
    if (problem) context.unitError(problem, { expected: 'a UCUM unit', found: term.to.unit });
    const factor = factorBetween(child.unit, term.to.unit, `round(${child.text})`, context) ?? ONE;
    const step = exact(term.to.quantity);
    if (isZero(step) || compare(step, { n: 0n, d: 1n }) < 0) context.error(`round: the step must be positive, not ${term.to.quantity}`);
    const mode = term.mode;
    return {
      unit: term.to.unit, facts: child.facts, text: `round ${mode.toLowerCase()}(${child.text}) to ${term.to.quantity} ${term.to.unit}`,
      evaluate: (input) => {
        const value = child.evaluate(input);
        return value === undefined || isZero(step) ? undefined : roundTo(multiply(value, factor), step, mode);
      },
    };
  }
  context.error(`unrecognized quantity ${JSON.stringify(term)}`);
  return failed('?');
}

function unique(children: readonly CompiledTerm[]): string[] {
  return [...new Set(children.flatMap((child) => child.facts))];
}
