import { addCalendar } from '../domain/calendar.ts';
import type { Comparison, ComparisonOperator, Expression, Scalar } from './expression.ts';
import { COMPARISON_OPERATORS } from './expression.ts';
import type { FactDefinition } from './rule-set.ts';
import type { Truth } from './truth.ts';
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
}

export interface CompileContext {
  readonly slotOf: (key: string) => number | undefined;
  readonly factOf: (key: string) => FactDefinition | undefined;
  /** Evidence-item fields allowed in `field` expressions. */
  readonly fieldOf: (key: string) => FactDefinition | undefined;
  /** Amount substituted for "$limit", when the rule declares a limit. */
  readonly limitAmount: number | undefined;
  readonly error: (message: string) => void;
}

const SYMBOL: Record<ComparisonOperator, string> = { eq: '=', ne: '≠', lt: '<', le: '≤', gt: '>', ge: '≥', in: 'in', between: 'between' };

type Getter = (input: EvaluationInput) => Scalar | undefined;

function comparisonOperator(comparison: Comparison): ComparisonOperator | null {
  const present = COMPARISON_OPERATORS.filter((operator) => comparison[operator] !== undefined);
  return present.length === 1 ? (present[0] as ComparisonOperator) : null;
}

function compileComparison(label: string, get: Getter, facts: string[], comparison: Comparison, definition: FactDefinition | undefined, context: CompileContext): CompiledExpression {
  const operator = comparisonOperator(comparison);
  if (!operator) {
    context.error(`${label}: needs exactly one of ${COMPARISON_OPERATORS.join(', ')}`);
    return { evaluate: () => UNKNOWN, facts, text: label };
  }
  let operand = comparison[operator] as Scalar | readonly Scalar[] | readonly [number, number] | '$limit';
  if (operand === '$limit') {
    if (context.limitAmount === undefined) context.error(`${label}: "$limit" used but the rule declares no limit`);
    operand = context.limitAmount ?? NaN;
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
    return { facts, text, evaluate: (input) => { const v = get(input); return v === undefined ? UNKNOWN : set.has(v) ? TRUE : FALSE; } };
  }
  if (operator === 'between') {
    const [low, high] = operand as readonly [number, number];
    checkValue(low);
    checkValue(high);
    return { facts, text, evaluate: (input) => { const v = get(input); return v === undefined ? UNKNOWN : (v as number) >= low && (v as number) <= high ? TRUE : FALSE; } };
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
  return { facts, text, evaluate: (input) => { const v = get(input); return v === undefined ? UNKNOWN : test(v) ? TRUE : FALSE; } };
}

function factGetter(key: string, context: CompileContext): { get: Getter; definition: FactDefinition | undefined } {
  const slot = context.slotOf(key);
  const definition = context.factOf(key);
  if (slot === undefined || !definition) {
    context.error(`unknown fact "${key}" (declare it under facts)`);
    return { get: () => undefined, definition };
  }
  return { get: (input) => input.values[slot], definition };
}

function combine(children: readonly CompiledExpression[], join: string): { facts: string[]; text: string } {
  return { facts: [...new Set(children.flatMap((child) => child.facts))], text: `(${children.map((child) => child.text).join(` ${join} `)})` };
}

/** Compiles an expression into a closure; problems go to context.error and compile to UNKNOWN. */
export function compileExpression(expression: Expression, context: CompileContext): CompiledExpression {
  // all/any loop over their children without allocating: this is the hot path of every decision.
  if ('all' in expression) {
    const children = expression.all.map((child) => compileExpression(child, context));
    const evaluators = children.map((child) => child.evaluate);
    const evaluate = (input: EvaluationInput): Truth => {
      let result: Truth = TRUE;
      for (const child of evaluators) {
        const value = child(input);
        if (value === FALSE) return FALSE;
        if (value === UNKNOWN) result = UNKNOWN;
      }
      return result;
    };
    return { ...combine(children, 'AND'), evaluate };
  }
  if ('any' in expression) {
    const children = expression.any.map((child) => compileExpression(child, context));
    const evaluators = children.map((child) => child.evaluate);
    const evaluate = (input: EvaluationInput): Truth => {
      let result: Truth = FALSE;
      for (const child of evaluators) {
        const value = child(input);
        if (value === TRUE) return TRUE;
        if (value === UNKNOWN) result = UNKNOWN;
      }
      return result;
    };
    return { ...combine(children, 'OR'), evaluate };
  }
  if ('not' in expression) {
    const child = compileExpression(expression.not, context);
    return { facts: child.facts, text: `NOT ${child.text}`, evaluate: (input) => not(child.evaluate(input)) };
  }
  if ('todo' in expression) {
    context.error(`TODO: ${expression.todo}`);
    return { facts: [], text: 'TODO', evaluate: () => UNKNOWN };
  }
  if ('constant' in expression) {
    const value = expression.constant ? TRUE : FALSE;
    return { facts: [], text: expression.constant ? 'always true' : 'always false', evaluate: () => value };
  }
  if ('atLeast' in expression) {
    const children = expression.atLeast !== undefined ? expression.of.map((child) => compileExpression(child, context)) : [];
    const n = expression.atLeast;
    const evaluators = children.map((child) => child.evaluate);
    const { facts, text } = combine(children, ',');
    return { facts, text: `at least ${n} of ${text}`, evaluate: (input) => atLeast(n, evaluators.map((evaluate) => evaluate(input))) };
  }
  if ('fact' in expression) {
    const { get, definition } = factGetter(expression.fact, context);
    return compileComparison(expression.fact, get, [expression.fact], expression, definition, context);
  }
  if ('sum' in expression) {
    const getters = expression.sum.map((key) => factGetter(key, context));
    for (const [index, { definition }] of getters.entries()) {
      if (definition && definition.type !== 'number' && definition.type !== 'integer') context.error(`sum: "${expression.sum[index]}" is not a number`);
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
    return compileComparison(`(${expression.sum.join(' + ')})`, get, [...expression.sum], expression, { key: 'sum', type: 'number', description: '', question: '' }, context);
  }
  if ('daysSince' in expression) {
    const { get, definition } = factGetter(expression.daysSince, context);
    if (definition && definition.type !== 'date') context.error(`daysSince: "${expression.daysSince}" is not a date`);
    const since: Getter = (input) => {
      const value = get(input);
      return value === undefined ? undefined : input.dateOfService - (value as number);
    };
    return compileComparison(`days since ${expression.daysSince}`, since, [expression.daysSince], expression, { key: 'days', type: 'number', description: '', question: '' }, context);
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

