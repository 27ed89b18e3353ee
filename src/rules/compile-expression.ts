import { addCalendar } from '../domain/calendar.ts';
import type { FactSource, LimitQuantities, NumberSource, TermContext } from './compile-term.ts';

export type { FactSource };
import { compileTerm, describeQuantity, factorBetween } from './compile-term.ts';
import type { Exact } from './exact.ts';
import { compare, exact, multiply, ONE, toNumber } from './exact.ts';
import type { Comparison, ComparisonOperator, Expression, LimitReference, Scalar } from './expression.ts';
import { COMPARISON_OPERATORS, LIMIT_REFERENCES, TERM_OPERATORS } from './expression.ts';
import type { FactDefinition } from './rule-set.ts';
import type { Truth } from './truth.ts';
import type { Emit } from './generated-code.ts';
import { emitJunction, emitNot, emitOf, emitSlotTest, literal } from './generated-code.ts';
import { atLeast, FALSE, not, TRUE, UNKNOWN } from './truth.ts';

/** What an evaluation reads: fact values by slot, the date of service, and the evidence item in scope. */
export interface EvaluationInput {
  /** Fact values by slot (see CompiledExpression.facts); dates are UTC epoch days; undefined = missing. */
  readonly values: readonly (Scalar | undefined)[];
  /** Date of service as UTC epoch days. */
  readonly dateOfService: number;
  /** The evidence item being checked, for `field` expressions. */
  readonly item?: Readonly<Record<string, Scalar | undefined>>;
}

export interface CompiledExpression {
  readonly evaluate: (input: EvaluationInput) => Truth;
  /** Fact keys this expression reads (static: known at compile time, so tracing costs nothing). */
  readonly facts: readonly string[];
  /** A readable rendering, e.g. "requestedDosePerDayMcg > 28". */
  readonly text: string;
  /** Generated code with the same meaning as `evaluate`, where there is one (see generated-code.ts). */
  readonly emit?: Emit;
}

export interface CompileContext {
  readonly factOf: (key: string) => FactSource | undefined;
  /** Evidence-item fields allowed in `field` expressions. */
  readonly fieldOf: (key: string) => FactDefinition | undefined;
  /** What "$limit", "$cap" and "$interval" stand for, when the rule declares a limit. */
  readonly limit: LimitQuantities | undefined;
  readonly error: TermContext['error'];
  readonly unitError: TermContext['unitError'];
}

const SYMBOL: Record<ComparisonOperator, string> = { eq: '=', ne: '≠', lt: '<', le: '≤', gt: '>', ge: '≥', in: 'in', between: 'between' };

type Getter = (input: EvaluationInput) => Scalar | undefined;

function comparisonOperator(comparison: Comparison): ComparisonOperator | null {
  const present = COMPARISON_OPERATORS.filter((operator) => comparison[operator] !== undefined);
  return present.length === 1 ? (present[0] as ComparisonOperator) : null;
}

function compileComparison(label: string, get: Getter, facts: readonly string[], comparison: Comparison, definition: FactDefinition | undefined, context: CompileContext, slot?: number): CompiledExpression {
  const operator = comparisonOperator(comparison);
  if (!operator) {
    context.error(`${label}: needs exactly one of ${COMPARISON_OPERATORS.join(', ')}`);
    return { evaluate: () => UNKNOWN, facts, text: label };
  }
  const operand = comparison[operator] as Scalar | readonly Scalar[] | readonly [number, number];
  if (typeof operand === 'string' && (LIMIT_REFERENCES as readonly string[]).includes(operand) && operator !== 'eq' && operator !== 'ne') {
    return compileLimitComparison(label, get, facts, operator as 'lt' | 'le' | 'gt' | 'ge', operand as LimitReference, definition, context, slot);
  }
  const type = definition?.type;
  const checkValue = (value: Scalar): void => {
    if (!definition) return;
    if ((type === 'number' || type === 'integer') && typeof value !== 'number') context.error(`${label}: compares a number with ${JSON.stringify(value)}`);
    if (type === 'boolean' && typeof value !== 'boolean') context.error(`${label}: compares a boolean with ${JSON.stringify(value)}`);
    if (type === 'enum' && !definition.values?.includes(String(value))) context.error(`${label}: ${JSON.stringify(value)} is not one of ${definition.values?.join(', ')}`);
    if (type === 'date') context.error(`${label}: compare dates with daysSince or ageAtLeast`);
  };
  const text = `${label} ${SYMBOL[operator]} ${Array.isArray(operand) ? `[${operand.join(', ')}]` : String(operand)}`;
  if (operator === 'in') {
    const set = new Set(operand as readonly Scalar[]);
    (operand as readonly Scalar[]).forEach(checkValue);
    const members = [...set];
    const emit = slot === undefined ? undefined : emitSlotTest(slot, (v, emitter) => (members.length <= 8 ? members.map((member) => `${v} === ${literal(member)}`).join(' || ') || 'false' : `${emitter.constant(set)}.has(${v})`));
    return { facts, text, emit, evaluate: (input) => { const v = get(input); return v === undefined ? UNKNOWN : set.has(v) ? TRUE : FALSE; } };
  }
  if (operator === 'between') {
    const [low, high] = operand as readonly [number, number];
    checkValue(low);
    checkValue(high);
    const emit = slot === undefined ? undefined : emitSlotTest(slot, (v) => `${v} >= ${literal(low)} && ${v} <= ${literal(high)}`);
    return { facts, text, emit, evaluate: (input) => { const v = get(input); return v === undefined ? UNKNOWN : (v as number) >= low && (v as number) <= high ? TRUE : FALSE; } };
  }
  const value = operand as Scalar;
  checkValue(value);
  const test = {
    eq: (v: Scalar) => v === value,
    ne: (v: Scalar) => v !== value,
    lt: (v: Scalar) => (v as number) < (value as number),
    le: (v: Scalar) => (v as number) <= (value as number),
    gt: (v: Scalar) => (v as number) > (value as number),
    ge: (v: Scalar) => (v as number) >= (value as number),
  }[operator];
  const symbol = { eq: '===', ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' }[operator];
  const emit = slot === undefined ? undefined : emitSlotTest(slot, (v) => `${v} ${symbol} ${literal(value)}`);
  return { facts, text, emit, evaluate: (input) => { const v = get(input); return v === undefined ? UNKNOWN : test(v) ? TRUE : FALSE; } };
}

const ORDER_TESTS = {
  lt: (sign: number) => sign < 0, le: (sign: number) => sign <= 0, gt: (sign: number) => sign > 0, ge: (sign: number) => sign >= 0, eq: (sign: number) => sign === 0,
} as const;

/**
 * A fact compared with "$limit" (or "$cap", "$interval"): the fact's unit must convert to the
 * limit's (mcg/day to mg/day exactly; mg to mg/m2 never). When no conversion is needed and the
 * limit is a plain decimal, numbers compare directly (the hot path); otherwise exactly.
 */
function compileLimitComparison(label: string, get: Getter, facts: readonly string[], operator: 'lt' | 'le' | 'gt' | 'ge', reference: LimitReference, definition: FactDefinition | undefined, context: CompileContext, slot: number | undefined): CompiledExpression {
  const quantity = context.limit?.[reference];
  if (!quantity) {
    context.error(`${label}: "${reference}" used but ${context.limit ? `the limit in the text states no ${reference.slice(1)}` : 'the rule declares no limit'}`);
    return { evaluate: () => UNKNOWN, facts, text: `${label} ${SYMBOL[operator]} ${reference}` };
  }
  const text = `${label} ${SYMBOL[operator]} ${describeQuantity(quantity)}`;
  const unit = definition?.unit ?? '1';
  const factor = factorBetween(unit, quantity.unit, `${label} (in ${unit}) compared with the ${reference.slice(1)} ${describeQuantity(quantity)}`, { ...context, numberOf: () => undefined });
  if (factor === null) return { evaluate: () => UNKNOWN, facts, text };
  const test = ORDER_TESTS[operator];
  const bound = quantity.value;
  if (compare(factor, ONE) === 0 && bound.d === 1n) {
    const limit = toNumber(bound);
    // v - limit has the sign of the comparison for finite doubles (a difference is 0 only for equal values).
    const emit = slot === undefined ? undefined : emitSlotTest(slot, (v) => `Math.sign(${v} - ${literal(limit)}) ${{ lt: '<', le: '<=', gt: '>', ge: '>=' }[operator]} 0`);
    return { facts, text, emit, evaluate: (input) => { const v = get(input); return v === undefined ? UNKNOWN : test(Math.sign((v as number) - limit)) ? TRUE : FALSE; } };
  }
  return { facts, text, evaluate: (input) => { const v = get(input); return v === undefined ? UNKNOWN : test(compare(multiply(exact(v as number), factor), bound)) ? TRUE : FALSE; } };
}

function factGetter(key: string, context: CompileContext): { get: Getter; definition: FactDefinition | undefined; facts: readonly string[]; slot?: number | undefined } {
  const source = context.factOf(key);
  if (!source) {
    context.error(`unknown fact "${key}" (declare it under facts)`);
    return { get: () => undefined, definition: undefined, facts: [key] };
  }
  return source;
}

/** The number facts terms may read (number and integer facts, input or derived). */
function numberSources(context: CompileContext): (key: string) => NumberSource | undefined {
  return (key) => {
    const source = context.factOf(key);
    if (!source || (source.definition.type !== 'number' && source.definition.type !== 'integer')) return undefined;
    return source as NumberSource;
  };
}

function combine(children: readonly CompiledExpression[], join: string): { facts: string[]; text: string } {
  return { facts: [...new Set(children.flatMap((child) => child.facts))], text: `(${children.map((child) => child.text).join(` ${join} `)})` };
}

/** AND of compiled expressions (Kleene): false wins, then unknown. */
export function allOf(children: readonly CompiledExpression[]): CompiledExpression {
  const evaluators = children.map((child) => child.evaluate);
  return {
    ...combine(children, 'AND'),
    emit: emitJunction(children.map(emitOf), 'all'),
    evaluate: (input) => {
      let result: Truth = TRUE;
      for (const child of evaluators) {
        const value = child(input);
        if (value === FALSE) return FALSE;
        if (value === UNKNOWN) result = UNKNOWN;
      }
      return result;
    },
  };
}

/** OR of compiled expressions (Kleene): true wins, then unknown. */
export function anyOf(children: readonly CompiledExpression[]): CompiledExpression {
  const evaluators = children.map((child) => child.evaluate);
  return {
    ...combine(children, 'OR'),
    emit: emitJunction(children.map(emitOf), 'any'),
    evaluate: (input) => {
      let result: Truth = FALSE;
      for (const child of evaluators) {
        const value = child(input);
        if (value === TRUE) return TRUE;
        if (value === UNKNOWN) result = UNKNOWN;
      }
      return result;
    },
  };
}

export function notOf(child: CompiledExpression): CompiledExpression {
  return { facts: child.facts, text: `NOT ${child.text}`, emit: emitNot(emitOf(child)), evaluate: (input) => not(child.evaluate(input)) };
}

/** Compiles an expression into a closure; problems go to context.error and compile to UNKNOWN. */
export function compileExpression(expression: Expression, context: CompileContext): CompiledExpression {
  // all/any loop over their children without allocating: this is the hot path of every decision.
  if ('all' in expression) return allOf(expression.all.map((child) => compileExpression(child, context)));
  if ('any' in expression) return anyOf(expression.any.map((child) => compileExpression(child, context)));
  if ('not' in expression) return notOf(compileExpression(expression.not, context));
  if ('todo' in expression) {
    context.error(`TODO: ${expression.todo}`);
    return { facts: [], text: 'TODO', evaluate: () => UNKNOWN };
  }
  if ('constant' in expression) {
    const value = expression.constant ? TRUE : FALSE;
    return { facts: [], text: expression.constant ? 'always true' : 'always false', emit: (_emitter, target) => `${target} = ${value};`, evaluate: () => value };
  }
  if ('atLeast' in expression) {
    const children = expression.atLeast !== undefined ? expression.of.map((child) => compileExpression(child, context)) : [];
    const n = expression.atLeast;
    // "At least 3 of 2" can never hold: a rule written so decides nothing from the request.
    if (n > children.length) context.error(`at least ${n} of ${children.length} can never hold`);
    const evaluators = children.map((child) => child.evaluate);
    const { facts, text } = combine(children, ',');
    return { facts, text: `at least ${n} of ${text}`, evaluate: (input) => atLeast(n, evaluators.map((evaluate) => evaluate(input))) };
  }
  if ('fact' in expression) {
    const { get, definition, facts, slot } = factGetter(expression.fact, context);
    return compileComparison(expression.fact, get, facts, expression, definition, context, slot);
  }
  if ('compare' in expression) return compileQuantityComparison(expression, context);
  if ('sum' in expression) {
    const getters = expression.sum.map((key) => factGetter(key, context));
    const units = new Set(getters.map(({ definition }) => definition?.unit ?? '1'));
    for (const [index, { definition }] of getters.entries()) {
      if (definition && definition.type !== 'number' && definition.type !== 'integer') context.error(`sum: "${expression.sum[index]}" is not a number`);
    }
    if (units.size > 1) context.unitError(`sum: the facts are in different units (${[...units].join(', ')}); add them as quantities with { plus: [...] } under compare`, { expected: [...units][0] ?? '1', found: [...units].join(', ') });
    // Whole numbers add exactly in floating point; anything else (0.1 mg + 0.2 mg against 0.3 mg) is
    // added as exact quantities, so the boundary holds.
    if (!getters.every(({ definition }) => definition?.type === 'integer')) {
      const operator = (['lt', 'le', 'gt', 'ge'] as const).find((candidate) => expression[candidate] !== undefined);
      const operand = operator ? expression[operator] : undefined;
      if (!operator || operand === undefined) {
        context.error(`sum of non-integer facts (${expression.sum.join(', ')}): compare it with lt, le, gt or ge`);
        return { facts: [], text: `(${expression.sum.join(' + ')})`, evaluate: () => UNKNOWN };
      }
      const right = typeof operand === 'number' ? { quantity: operand, unit: [...units][0] ?? '1' } : operand;
      return compileQuantityComparison({ compare: { plus: expression.sum.map((key) => ({ fact: key })) }, [operator]: right } as Extract<Expression, { compare: unknown }>, context);
    }
    const get: Getter = (input) => {
      let total = 0;
      for (const getter of getters) {
        const value = getter.get(input);
        if (value === undefined) return undefined;
        total += value as number;
      }
      return total;
    };
    const unit = getters[0]?.definition?.unit;
    return compileComparison(`(${expression.sum.join(' + ')})`, get, [...new Set(getters.flatMap((getter) => getter.facts))], expression, { key: 'sum', type: 'number', ...(unit ? { unit } : {}), description: '', question: '' }, context);
  }
  if ('daysSince' in expression) {
    const { get, definition, facts } = factGetter(expression.daysSince, context);
    if (definition && definition.type !== 'date') context.error(`daysSince: "${expression.daysSince}" is not a date`);
    const since: Getter = (input) => {
      const value = get(input);
      return value === undefined ? undefined : input.dateOfService - (value as number);
    };
    return compileComparison(`days since ${expression.daysSince}`, since, facts, expression, { key: 'days', type: 'number', unit: 'd', description: '', question: '' }, context);
  }
  if ('ageAtLeast' in expression) {
    const { birthDate, value, unit } = expression.ageAtLeast;
    const { get, definition } = factGetter(birthDate, context);
    if (definition && definition.type !== 'date') context.error(`ageAtLeast: "${birthDate}" is not a date`);
    return {
      facts: [birthDate],
      text: `age on the date of service ≥ ${value} ${unit}${value === 1 ? '' : 's'}`,
      evaluate: (input) => {
        const born = get(input);
        return born === undefined ? UNKNOWN : addCalendar(born as number, value, unit) <= input.dateOfService ? TRUE : FALSE;
      },
    };
  }
  if ('withinLast' in expression) {
    const { date, value, unit } = expression.withinLast;
    const { get, definition } = factGetter(date, context);
    if (definition && definition.type !== 'date') context.error(`withinLast: "${date}" is not a date`);
    return {
      facts: [date],
      text: `${date} within the last ${value} ${unit}${value === 1 ? '' : 's'} before the date of service`,
      evaluate: (input) => {
        const when = get(input);
        if (when === undefined) return UNKNOWN;
        return (when as number) <= input.dateOfService && input.dateOfService <= addCalendar(when as number, value, unit) ? TRUE : FALSE;
      },
    };
  }
  if ('field' in expression) {
    const definition = context.fieldOf(expression.field);
    if (!definition) context.error(`unknown evidence field "${expression.field}"`);
    const key = expression.field;
    return compileComparison(`evidence.${key}`, (input) => input.item?.[key], [], expression, definition, context);
  }
  context.error(`unrecognized expression ${JSON.stringify(expression)}`);
  return { facts: [], text: '?', evaluate: () => UNKNOWN };
}


/** `{ compare: term, gt: term }`: both sides converted to the left side's unit, compared exactly. */
function compileQuantityComparison(expression: Extract<Expression, { compare: unknown }>, context: CompileContext): CompiledExpression {
  const present = TERM_OPERATORS.filter((operator) => expression[operator] !== undefined);
  const termContext: TermContext = { numberOf: numberSources(context), limit: context.limit, error: context.error, unitError: context.unitError };
  const left = compileTerm(expression.compare, termContext);
  const operator = present[0];
  if (present.length !== 1 || !operator) {
    context.error(`compare ${left.text}: needs exactly one of ${TERM_OPERATORS.join(', ')}`);
    return { evaluate: () => UNKNOWN, facts: left.facts, text: left.text };
  }
  const right = compileTerm(expression[operator] as NonNullable<typeof expression.lt>, termContext);
  const facts = [...new Set([...left.facts, ...right.facts])];
  const text = `${left.text} ${SYMBOL[operator]} ${right.text}`;
  const factor = factorBetween(right.unit, left.unit, `${left.text} (in ${left.unit}) compared with ${right.text} (in ${right.unit})`, termContext);
  if (factor === null) return { evaluate: () => UNKNOWN, facts, text };
  const test = ORDER_TESTS[operator];
  const scale = compare(factor, ONE) === 0 ? null : factor;
  return {
    facts, text,
    evaluate: (input) => {
      const a = left.evaluate(input);
      const b: Exact | undefined = right.evaluate(input);
      if (a === undefined || b === undefined) return UNKNOWN;
      return test(compare(a, scale ? multiply(b, scale) : b)) ? TRUE : FALSE;
    },
  };
}
