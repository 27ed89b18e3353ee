import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/rules/compile-expression.ts';
import type { CompileContext, FactSource } from '../../src/rules/compile-expression.ts';
import { add, compare, divide, exact, formatExact, multiply, roundTo, toNumber } from '../../src/rules/exact.ts';
import type { Expression } from '../../src/rules/expression.ts';
import type { FactDefinition } from '../../src/rules/rule-set.ts';
import { conversion, unitProblem } from '../../src/rules/units.ts';
import { FALSE, TRUE, UNKNOWN } from '../../src/rules/truth.ts';

const SEED = 20261202;

describe('exact decimals', () => {
  it('multiplies and compares the boundary values exactly, where binary floating point drifts', () => {
    expect(1.1 * 3).not.toBe(3.3);
    expect(compare(multiply(exact(1.1), exact(3)), exact(3.3))).toBe(0);
    expect(formatExact(multiply(exact(1.5), exact(70)))).toBe('105');
    expect(formatExact(multiply(exact(1.8), exact(1.9)))).toBe('3.42');
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(compare(add(exact(0.1), exact(0.2)), exact(0.3))).toBe(0);
    expect(formatExact(exact(1e-7))).toBe('0.0000001');
    expect(formatExact(divide(exact(1), exact(3)))).toBe('≈0.333333');
  });

  it('rounds up, down and to nearest by a step', () => {
    expect(formatExact(roundTo(exact(34.2), exact(1), 'UP'))).toBe('35');
    expect(formatExact(roundTo(exact(34), exact(1), 'UP'))).toBe('34');
    expect(formatExact(roundTo(exact(34.5), exact(1), 'NEAREST'))).toBe('35');
    expect(formatExact(roundTo(exact(34.49), exact(1), 'NEAREST'))).toBe('34');
    expect(formatExact(roundTo(exact(-2.5), exact(1), 'DOWN'))).toBe('-3');
    expect(formatExact(roundTo(exact(0.93), exact(0.1), 'UP'))).toBe('1');
  });

  it('orders any two decimals as their digits do (property, seeded)', () => {
    let runs = 0;
    fc.assert(fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }), (a, b, places) => {
      runs += 1;
      const scale = 10 ** places;
      // a/scale and b/scale as decimals: their order is the order of the integers.
      const left = exact(Number((a / scale).toFixed(places)));
      const right = exact(Number((b / scale).toFixed(places)));
      expect(compare(left, right)).toBe(Math.sign(a - b));
    }), { seed: SEED, numRuns: 2000 });
    console.log(`exact order property: ${runs} pairs`);
  });
});

describe('UCUM units', () => {
  it('converts commensurable units exactly and refuses the rest, naming both sides', () => {
    expect(conversion('ug/d', 'mg/d')).toEqual({ factor: { n: 1n, d: 1000n } });
    expect(conversion('wk', 'd')).toEqual({ factor: { n: 7n, d: 1n } });
    expect(conversion('(mg/kg).(kg)', 'mg')).toEqual({ factor: { n: 1n, d: 1n } });
    expect(conversion('mg', 'mg/m2')).toEqual({ problem: 'mg cannot be compared with mg/m2: they measure different things' });
    expect(conversion('{cycle}', '{dose}')).toEqual({ problem: '{cycle} cannot be compared with {dose}: their counts ({cycle}, {dose}, …) differ' });
    expect(conversion('mo', 'd')).toEqual({ problem: 'mo cannot be compared with d: a month or a year is not a fixed number of days' });
    expect(unitProblem('mcg/day')).toBe('"mcg/day" is not a UCUM unit (UCUM writes micrograms "ug")');
    expect(unitProblem('cycle')).toBe('"cycle" is not a UCUM unit (a count is an annotation in UCUM: "{cycle}")');
    expect(unitProblem('ug/d')).toBeNull();
  });
});

describe('quantity comparisons', () => {
  const facts: FactDefinition[] = [
    { key: 'doseMg', type: 'number', unit: 'mg', description: 'd', question: 'q' },
    { key: 'doseUg', type: 'number', unit: 'ug', description: 'd', question: 'q' },
    { key: 'weightKg', type: 'number', unit: 'kg', description: 'd', question: 'q' },
    { key: 'weightG', type: 'number', unit: 'g', description: 'd', question: 'q' },
  ];
  const sources = new Map<string, FactSource>(facts.map((definition, index) => [definition.key, { definition, facts: [definition.key], get: (input) => input.values[index] }]));
  const compile = (expression: Expression) => {
    const errors: string[] = [];
    const context: CompileContext = {
      factOf: (key) => sources.get(key), fieldOf: () => undefined,
      limit: { $limit: { value: exact(1.8), unit: 'mg/kg' }, $cap: { value: exact(180), unit: 'mg' }, $interval: { value: exact(3), unit: 'wk' } },
      error: (message) => errors.push(message), unitError: (message) => errors.push(message),
    };
    return { compiled: compileExpression(expression, context), errors };
  };
  const cappedDose: Expression = { compare: { fact: 'doseMg' }, gt: { min: [{ times: ['$limit', { fact: 'weightKg' }] }, '$cap'] } };
  const values = (dose: number | undefined, weight: number | undefined) => [dose, dose === undefined ? undefined : dose * 1000, weight, weight === undefined ? undefined : weight * 1000];

  it('1.8 mg/kg up to 180 mg: exact at the boundary for a child and an adult, unknown without the weight', () => {
    const { compiled, errors } = compile(cappedDose);
    expect(errors).toEqual([]);
    expect(compiled.text).toBe('doseMg > min(1.8 mg/kg × weightKg, 180 mg)');
    const at = (dose: number | undefined, weight: number | undefined) => compiled.evaluate({ values: values(dose, weight), dateOfService: 0 });
    expect(at(130.5, 72.5)).toBe(FALSE);
    expect(at(130.6, 72.5)).toBe(TRUE);
    expect(at(54, 30)).toBe(FALSE);
    expect(at(54.1, 30)).toBe(TRUE);
    expect(at(180, 110)).toBe(FALSE);
    expect(at(180.1, 110)).toBe(TRUE);
    expect(at(100, undefined)).toBe(UNKNOWN);
    expect(compiled.facts).toEqual(['doseMg', 'weightKg']);
  });

  it('converts exactly between mg and ug, kg and g: the same decisions whatever unit the facts use (property, seeded)', () => {
    const inMg = compile(cappedDose).compiled;
    const inUg = compile({ compare: { fact: 'doseUg' }, gt: { min: [{ times: ['$limit', { fact: 'weightG' }] }, '$cap'] } }).compiled;
    let runs = 0;
    let exceeded = 0;
    fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 10, max: 2000 }), (tenthsMg, tenthsKg) => {
      runs += 1;
      const dose = tenthsMg / 10;
      const weight = tenthsKg / 10;
      const ug = [undefined, Math.round(tenthsMg * 100), undefined, Math.round(tenthsKg * 100)];
      const expected = tenthsMg * 10 > Math.min(18 * tenthsKg, 18000) ? TRUE : FALSE; // all in hundredths of mg, integers
      if (expected === TRUE) exceeded += 1;
      expect(inMg.evaluate({ values: values(dose, weight), dateOfService: 0 })).toBe(expected);
      expect(inUg.evaluate({ values: ug, dateOfService: 0 })).toBe(expected);
    }), { seed: SEED, numRuns: 3000 });
    console.log(`unit-conversion property: ${runs} requests, ${exceeded} over the limit`);
  });

  it('refuses comparisons across dimensions, naming both units', () => {
    expect(compile({ compare: { fact: 'doseMg' }, gt: '$limit' }).errors).toEqual([
      'doseMg (in mg) compared with 1.8 mg/kg (in mg/kg): mg/kg cannot be compared with mg: they measure different things',
    ]);
    expect(compile({ compare: { fact: 'doseMg' }, gt: { plus: ['$cap', '$interval'] } }).errors[0]).toContain('wk cannot be compared with mg: they measure different things');
  });

  it('intervals convert weeks to days exactly', () => {
    const { compiled } = compile({ compare: { quantity: 20, unit: 'd' }, lt: '$interval' });
    expect(compiled.evaluate({ values: [], dateOfService: 0 })).toBe(TRUE);
    const { compiled: exactlyThree } = compile({ compare: { quantity: 21, unit: 'd' }, lt: '$interval' });
    expect(exactlyThree.evaluate({ values: [], dateOfService: 0 })).toBe(FALSE);
    expect(toNumber(exact(21))).toBe(21);
  });
});
