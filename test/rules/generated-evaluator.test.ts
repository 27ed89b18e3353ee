import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addCalendar, civilFromDays, daysFromCivil, epochDay } from '../../src/domain/calendar.ts';
import { mulberry32 } from '../../src/domain/seeded-random.ts';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import type { CompileContext, FactSource } from '../../src/rules/compile-expression.ts';
import { compileExpression } from '../../src/rules/compile-expression.ts';
import type { CompiledRuleSet } from '../../src/rules/compile-rule-set.ts';
import { compileRuleSet } from '../../src/rules/compile-rule-set.ts';
import type { CoreRequest } from '../../src/rules/decide.ts';
import { decide, decideCompact, evaluate, evaluateInterpreted, isMissing, ruleTable } from '../../src/rules/decide.ts';
import { exact } from '../../src/rules/exact.ts';
import type { Expression, Scalar } from '../../src/rules/expression.ts';
import { generateExpression } from '../../src/rules/generated-code.ts';
import type { FactDefinition } from '../../src/rules/rule-set.ts';
import { validateRuleSetSource } from '../../src/rules/rule-set-schema.ts';
import { validateRuleSetCases } from '../../src/rules/rule-set-cases.ts';
import { readRequest } from '../../src/rules/read-request.ts';
import { expandDocumentPaths } from '../../src/services/ingest-files.ts';
import { readFileSync } from 'node:fs';
import { guidelinesDir } from '../support/documents.ts';

const DAY_MS = 86_400_000;

/** The Date-based calendar arithmetic the integer version replaced: the reference it must agree with. */
function addCalendarWithDates(epoch: number, value: number, unit: 'month' | 'year'): number {
  const date = new Date(epoch * DAY_MS);
  const months = unit === 'month' ? value : value * 12;
  const targetMonth = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  return Date.UTC(date.getUTCFullYear(), targetMonth, Math.min(date.getUTCDate(), lastDay)) / DAY_MS;
}

/** The regular-expression and Date reading of "YYYY-MM-DD" the digit-by-digit one replaced. */
function epochDayWithDates(isoDate: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return time / DAY_MS;
}

describe('calendar arithmetic without Date objects', () => {
  it('reads dates as the Date-based reader did, on 50,000 random and malformed strings', () => {
    const random = mulberry32(99);
    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    let valid = 0;
    for (let i = 0; i < 50_000; i += 1) {
      let text = `${pad(Math.floor(random() * 2400), 4)}-${pad(Math.floor(random() * 14), 2)}-${pad(Math.floor(random() * 33), 2)}`;
      const roll = random();
      // Now and then a malformed one: a character replaced, one dropped, a sign or a space.
      if (roll < 0.1) text = text.slice(0, 3) + String.fromCharCode(32 + Math.floor(random() * 90)) + text.slice(4);
      else if (roll < 0.15) text = text.slice(1);
      else if (roll < 0.2) text = `${text} `;
      else if (roll < 0.22) text = `+${text.slice(1)}`;
      const expected = epochDayWithDates(text);
      expect(epochDay(text), text).toBe(expected);
      if (expected !== null) valid += 1;
    }
    console.log(`calendar: 50000 date strings read alike (${valid} valid; seed 99)`);
    expect(valid).toBeGreaterThan(20_000);
  });


  it('agrees with the Date-based arithmetic on 50,000 random dates (years 1800–2300) and offsets', () => {
    const random = mulberry32(20261202);
    let checked = 0;
    for (let i = 0; i < 50_000; i += 1) {
      const epoch = Math.floor(-62_000 + random() * 182_000);
      const date = new Date(epoch * DAY_MS);
      expect(civilFromDays(epoch)).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      expect(daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(epoch);
      const unit = random() < 0.5 ? 'month' : 'year';
      const value = Math.floor((random() - 0.3) * (unit === 'month' ? 1300 : 110));
      expect(addCalendar(epoch, value, unit), `${new Date(epoch * DAY_MS).toISOString()} + ${value} ${unit}`).toBe(addCalendarWithDates(epoch, value, unit));
      checked += 1;
    }
    // The month ends and leap days, where the arithmetic is easiest to get wrong.
    for (const [from, value, unit, to] of [['2024-02-29', 1, 'year', '2025-02-28'], ['2024-01-31', 1, 'month', '2024-02-29'], ['2023-01-31', 1, 'month', '2023-02-28'], ['2000-02-29', 100, 'year', '2100-02-28'], ['2026-03-31', -1, 'month', '2026-02-28']] as const) {
      expect(addCalendar(epochDay(from) as number, value, unit)).toBe(epochDay(to));
    }
    console.log(`calendar: ${checked} random dates and offsets agree with Date (seed 20261202)`);
  });
});

const FACTS: FactDefinition[] = [
  { key: 'stage', type: 'enum', values: ['I', 'II', 'III', 'IV'], description: '', question: '' },
  { key: 'dose', type: 'number', description: '', question: '' },
  { key: 'cycles', type: 'integer', description: '', question: '' },
  { key: 'prior', type: 'integer', description: '', question: '' },
  { key: 'flag', type: 'boolean', description: '', question: '' },
  { key: 'born', type: 'date', description: '', question: '' },
  { key: 'lastDose', type: 'date', description: '', question: '' },
];

/** A random expression over FACTS, up to `depth` levels of all/any/not/atLeast. */
function randomExpression(random: () => number, depth: number): Expression {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const number = () => pick([0, 1, 2, 4, 9.5, 28, 28.5, -3]);
  if (depth > 0 && random() < 0.45) {
    const children = Array.from({ length: 1 + Math.floor(random() * 4) }, () => randomExpression(random, depth - 1));
    const kind = pick(['all', 'any', 'not', 'atLeast'] as const);
    if (kind === 'all') return { all: children };
    if (kind === 'any') return { any: children };
    if (kind === 'not') return { not: children[0] as Expression };
    return { atLeast: Math.max(1, Math.floor(random() * children.length)), of: children };
  }
  switch (pick(['enum', 'enumIn', 'number', 'between', 'limit', 'bool', 'constant', 'sum', 'daysSince', 'age', 'within'] as const)) {
    case 'enum': return { fact: 'stage', [pick(['eq', 'ne'] as const)]: pick(['I', 'II', 'III', 'IV']) } as Expression;
    case 'enumIn': return { fact: 'stage', in: ['I', 'II', 'III', 'IV'].filter(() => random() < 0.5) };
    case 'number': return { fact: pick(['dose', 'cycles']), [pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const)]: number() } as Expression;
    case 'between': return { fact: 'dose', between: [number(), number()].sort((a, b) => a - b) as [number, number] };
    case 'limit': return { fact: 'dose', [pick(['lt', 'le', 'gt', 'ge'] as const)]: '$limit' } as Expression;
    case 'bool': return { fact: 'flag', eq: random() < 0.5 };
    case 'constant': return { constant: random() < 0.5 };
    case 'sum': return { sum: ['cycles', 'prior'], [pick(['lt', 'le', 'gt', 'ge'] as const)]: Math.floor(random() * 8) } as Expression;
    case 'daysSince': return { daysSince: 'lastDose', [pick(['le', 'gt'] as const)]: Math.floor(random() * 400) } as Expression;
    case 'age': return { ageAtLeast: { birthDate: 'born', value: Math.floor(random() * 30), unit: pick(['day', 'month', 'year'] as const) } };
    case 'within': return { withinLast: { date: 'lastDose', value: Math.floor(random() * 13), unit: pick(['day', 'week', 'month'] as const) } };
  }
}

function randomValue(definition: FactDefinition, random: () => number, dateOfService: number): Scalar | undefined {
  if (random() < 0.15) return undefined;
  switch (definition.type) {
    case 'enum': return (definition.values ?? [])[Math.floor(random() * (definition.values?.length ?? 0))];
    case 'boolean': return random() < 0.5;
    case 'integer': return Math.floor(random() * 10) - 1;
    case 'number': return [0, 1, 2, 4, 9.5, 28, 28.5, 28.000001, -3, Math.round(random() * 4000) / 100][Math.floor(random() * 10)] as number;
    case 'date': return dateOfService - Math.floor(random() * 40 * 366) + 30;
  }
}

describe('the generated evaluator decides exactly as the compiled closures', () => {
  it('every random expression gives the same truth value, generated or not, on random inputs', () => {
    const random = mulberry32(7);
    const sources = new Map<string, FactSource>(FACTS.map((fact, index) => [fact.key, { definition: fact, facts: [fact.key], slot: index, get: (input) => input.values[index] }]));
    const problems: string[] = [];
    const context: CompileContext = {
      factOf: (key) => sources.get(key), fieldOf: () => undefined,
      limit: { $limit: { value: exact(28), unit: '1' }, $cap: null, $interval: null },
      error: (message) => problems.push(message), unitError: (message) => problems.push(message),
    };
    let expressions = 0;
    let evaluations = 0;
    const seen = [0, 0, 0];
    for (let i = 0; i < 3_000; i += 1) {
      problems.length = 0;
      const compiled = compileExpression(randomExpression(random, 4), context);
      if (problems.length > 0) continue;
      const generated = generateExpression(compiled);
      expressions += 1;
      for (let j = 0; j < 20; j += 1) {
        const dateOfService = 20_000 + Math.floor(random() * 1000);
        const input = { values: FACTS.map((fact) => randomValue(fact, random, dateOfService)), dateOfService };
        const expected = compiled.evaluate(input);
        expect(generated(input)).toBe(expected);
        seen[expected] = (seen[expected] ?? 0) + 1;
        evaluations += 1;
      }
    }
    console.log(`generated expressions: ${expressions} random expressions, ${evaluations} evaluations agree (false ${seen[0]}, true ${seen[1]}, unknown ${seen[2]}; seed 7)`);
    expect(expressions).toBeGreaterThan(2_000);
    expect(Math.min(...seen)).toBeGreaterThan(1_000);
  });

  /** Each shipped rule set with its cases' requests: the seeds the random requests mutate. */
  const ruleSets: [string, CompiledRuleSet, CoreRequest[]][] = expandDocumentPaths([guidelinesDir]).map((path) => {
    const document = parseGuideline(readFileSync(path, 'utf8')).document;
    const source = validateRuleSetSource(parse(readFileSync(path.replace(/\.txt$/, '.rules.yaml'), 'utf8'))).source;
    const ruleSet = document && source ? compileRuleSet(source, document).ruleSet : null;
    const suite = validateRuleSetCases(parse(readFileSync(path.replace(/\.txt$/, '.cases.yaml'), 'utf8'))).cases;
    if (!ruleSet || !suite) throw new Error(`${path}: the shipped rule set and cases must compile`);
    const seeds = suite.cases.flatMap((testCase) => {
      const fixture = suite.fixtures[testCase.from];
      if (!fixture) return [];
      const facts: Record<string, unknown> = { ...fixture.facts, ...testCase.set };
      for (const key of testCase.unset ?? []) delete facts[key];
      const { request } = readRequest(ruleSet, {
        dateOfService: testCase.dateOfService ?? fixture.dateOfService, lineOfBusiness: testCase.lineOfBusiness ?? fixture.lineOfBusiness,
        facts: Object.entries(facts).map(([key, value]) => ({ key, value })), evidence: testCase.evidence ?? fixture.evidence ?? [],
      });
      return request ? [request] : [];
    });
    return [document?.header.guidelineNumber ?? path, ruleSet, seeds];
  });

  it.each(ruleSets)('%s: 3,000 random requests (its cases, mutated) get the same outcome, rule values and deciding rules', (number, ruleSet, seeds) => {
    const random = mulberry32(ruleSet.facts.length * 1_000 + 11);
    const lines = [...ruleSet.linesOfBusiness.keys(), 'NOT_A_LINE'];
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 3_000; i += 1) {
      const seed = seeds[i % seeds.length] as CoreRequest;
      // Each fact kept, dropped (missing) or replaced by a random value of its type; now and then another line of business.
      const request: CoreRequest = {
        ...seed,
        lineOfBusiness: random() < 0.05 ? (lines[Math.floor(random() * lines.length)] as string) : seed.lineOfBusiness,
        values: seed.values.map((value, slot) => {
          const roll = random();
          return roll < 0.08 ? undefined : roll < 0.2 ? randomValue(ruleSet.facts[slot] as FactDefinition, random, seed.dateOfService) : value;
        }),
      };
      const expected = evaluateInterpreted(ruleSet, request);
      expect(evaluate(ruleSet, request)).toEqual(expected);
      // The compact trace (results, deciding set, missing-fact bits over the static table) says what the rendered one says.
      const compact = decideCompact(ruleSet, request);
      const rendered = decide(ruleSet, request);
      if (rendered.outcome === 'INCOMPLETE' || rendered.outcome === 'PENDED') {
        const fromBits = ruleTable(ruleSet).flatMap((entry, index) => (compact.evaluation.deciding[index] === 1 && compact.evaluation.results[index] !== 3 ? entry.facts.filter((_key, at) => isMissing(compact, entry.slots[at] as number)) : []));
        expect([...new Set(fromBits)].sort()).toEqual([...rendered.missingFacts].sort());
      }
      outcomes.set(expected.outcome, (outcomes.get(expected.outcome) ?? 0) + 1);
    }
    console.log(`generated evaluator, ${number}: 3000 requests from ${seeds.length} cases agree (${[...outcomes].sort().map(([outcome, count]) => `${outcome} ${count}`).join(', ')})`);
    expect(outcomes.size).toBeGreaterThanOrEqual(4);
  });
});
