import type { Scalar } from './expression.ts';
import type { Truth } from './truth.ts';

/**
 * Code generation for the evaluator (as graphql-jit and Cerbos's compiled rule tables do): a rule
 * set's conditions become one straight-line JavaScript function, so a decision is a run of
 * comparisons on the request's values instead of a walk through closures.
 *
 * Safety: nothing from the rule set's text reaches the generated source except as a JSON literal
 * (strings, booleans, finite numbers) or a slot index; everything else (closures, sets) is passed
 * in as a constant and referenced by position (`k[3]`).
 */
export interface Emitter {
  /** A fresh local variable. */
  temp(): string;
  /** A fresh statement label. */
  label(): string;
  /** A reference to a value the generated code needs (a closure, a set). */
  constant(value: unknown): string;
}

/** Statements that evaluate an expression and assign its truth value (0, 1, 2) to `target`. */
export type Emit = (emitter: Emitter, target: string) => string;

/** Name of the generated code's values array and evaluation input, for emitters. */
export const VALUES = 'v';
export const INPUT = 'inp';

/** A scalar as a JavaScript literal; only finite numbers, strings and booleans exist in rule sets. */
export function literal(value: Scalar): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`a rule constant must be finite, not ${value}`);
    return Object.is(value, -0) ? '-0' : String(value);
  }
  return JSON.stringify(value);
}

/** The emitter of an expression; one without generated code calls its closure. */
export function emitOf(expression: { readonly evaluate: (input: never) => Truth; readonly emit?: Emit | undefined }): Emit {
  return expression.emit ?? ((emitter, target) => `${target} = ${emitter.constant(expression.evaluate)}(${INPUT});`);
}

/** Kleene AND (`join` "all") or OR ("any") of children, short-circuiting as the closures do. */
export function emitJunction(children: readonly Emit[], join: 'all' | 'any'): Emit {
  // AND: false wins, then unknown; OR: true wins, then unknown.
  const [identity, absorbing] = join === 'all' ? [1, 0] : [0, 1];
  return (emitter, target) => {
    const label = emitter.label();
    const child = emitter.temp();
    const steps = children.map((emit) => `${emit(emitter, child)} if (${child} === ${absorbing}) { ${target} = ${absorbing}; break ${label}; } if (${child} === 2) ${target} = 2;`);
    return `${label}: { ${target} = ${identity}; ${steps.join(' ')} }`;
  };
}

export function emitNot(child: Emit): Emit {
  return (emitter, target) => {
    const value = emitter.temp();
    return `${child(emitter, value)} ${target} = ${value} === 2 ? 2 : 1 - ${value};`;
  };
}

/** A fact read from its slot and tested: unknown when missing. `test` renders the test of a variable. */
export function emitSlotTest(slot: number, test: (variable: string, emitter: Emitter) => string): Emit {
  return (emitter, target) => {
    const value = emitter.temp();
    return `${value} = ${VALUES}[${slot}]; ${target} = ${value} === undefined ? 2 : (${test(value, emitter)}) ? 1 : 0;`;
  };
}

/** The working state of one generated function: its locals, labels and constants. */
export class CodeBuilder implements Emitter {
  readonly constants: unknown[] = [];
  private temps = 0;
  private labels = 0;
  private usesInput = false;

  temp(): string {
    this.temps += 1;
    return `t${this.temps}`;
  }

  label(): string {
    this.labels += 1;
    return `L${this.labels}`;
  }

  constant(value: unknown): string {
    if (typeof value === 'function') this.usesInput = true;
    return `k[${this.constants.push(value) - 1}]`;
  }

  /** Declarations of the locals the statements used, and the input object if a closure reads it. */
  prologue(valuesFrom: string, dateFrom: string): string {
    const temps = Array.from({ length: this.temps }, (_, index) => `t${index + 1}`);
    return [
      `const ${VALUES} = ${valuesFrom};`,
      this.usesInput ? `const ${INPUT} = { values: ${VALUES}, dateOfService: ${dateFrom} };` : '',
      temps.length > 0 ? `let ${temps.join(', ')};` : '',
    ].join(' ');
  }
}

/** One expression as a generated function of its own (the differential tests compare it with the closure). */
export function generateExpression(expression: { readonly evaluate: (input: never) => Truth; readonly emit?: Emit | undefined }): (input: { readonly values: readonly unknown[]; readonly dateOfService: number }) => Truth {
  const code = new CodeBuilder();
  const target = code.temp();
  const statements = emitOf(expression)(code, target);
  const make = new Function('k', `return function evaluateExpression(input) { ${code.prologue('input.values', 'input.dateOfService')} ${statements} return ${target}; };`);
  return make(code.constants);
}
