import { Ajv } from 'ajv';
import type { CompiledRuleSet } from './compile-rule-set.ts';
import { decide } from './decide.ts';
import { readRequest } from './read-request.ts';

/**
 * A rule set's own test suite (`<name>.cases.yaml` beside `<name>.rules.yaml`), as `opa test` and
 * Cerbos suites do: named fixtures with a pinned date of service, cases that start from a fixture,
 * change facts, and must state what they expect. Ingestion refuses a rule set whose cases fail.
 */
export interface RuleSetCases {
  readonly guideline?: string;
  readonly fixtures: Readonly<Record<string, Fixture>>;
  readonly cases: readonly RuleSetCase[];
}

interface Fixture {
  readonly dateOfService: string;
  readonly lineOfBusiness: string;
  readonly facts: Readonly<Record<string, unknown>>;
  readonly evidence?: readonly Readonly<Record<string, unknown>>[];
}

export interface RuleSetCase {
  readonly name: string;
  readonly from: string;
  readonly set?: Readonly<Record<string, unknown>>;
  readonly unset?: readonly string[];
  readonly dateOfService?: string;
  readonly lineOfBusiness?: string;
  readonly evidence?: readonly Readonly<Record<string, unknown>>[];
  readonly expect: {
    readonly outcome: string;
    readonly deciding?: readonly string[];
    readonly missing?: readonly string[];
    readonly authorizedLimits?: Readonly<Record<string, number>>;
    readonly billingUnits?: number;
    /** Every authorized limit, by the exclusion it comes from: exactly these, with these amounts. */
    readonly authorized?: readonly { readonly of: string; readonly kind?: string; readonly amount?: number; readonly unit?: string; readonly billingUnits?: number }[];
    /** Values of derived facts, e.g. { bodySurfaceArea: 1.9 }. */
    readonly derived?: Readonly<Record<string, number>>;
    readonly notices?: readonly string[];
    readonly checklist?: Readonly<Record<string, string>>;
  };
}

const request = {
  dateOfService: { type: 'string' },
  lineOfBusiness: { type: 'string' },
  facts: { type: 'object' },
  evidence: { type: 'array', items: { type: 'object' } },
};

/** An expectation is mandatory, so a case that asserts nothing cannot pass. */
const CASES_SCHEMA = {
  type: 'object', additionalProperties: false, required: ['fixtures', 'cases'],
  properties: {
    guideline: { type: 'string' },
    fixtures: { type: 'object', additionalProperties: { type: 'object', additionalProperties: false, required: ['dateOfService', 'lineOfBusiness', 'facts'], properties: request } },
    cases: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['name', 'from', 'expect'],
        properties: {
          name: { type: 'string' }, from: { type: 'string' }, set: { type: 'object' }, unset: { type: 'array', items: { type: 'string' } },
          dateOfService: { type: 'string' }, lineOfBusiness: { type: 'string' }, evidence: { type: 'array', items: { type: 'object' } },
          expect: {
            type: 'object', additionalProperties: false, required: ['outcome'],
            properties: {
              outcome: { enum: ['APPROVED', 'DENIED', 'PENDED', 'INCOMPLETE', 'NOT_APPLICABLE'] },
              deciding: { type: 'array', items: { type: 'string' } },
              missing: { type: 'array', items: { type: 'string' } },
              authorizedLimits: { type: 'object', additionalProperties: { type: 'number' } },
              billingUnits: { type: 'number' },
              authorized: {
                type: 'array',
                items: {
                  type: 'object', additionalProperties: false, required: ['of'],
                  properties: { of: { type: 'string' }, kind: { enum: ['MAX_DOSE_PER_PERIOD', 'REMAINING_DURATION'] }, amount: { type: 'number' }, unit: { type: 'string' }, billingUnits: { type: 'number' } },
                },
              },
              derived: { type: 'object', additionalProperties: { type: 'number' } },
              notices: { type: 'array', items: { type: 'string' } },
              checklist: { type: 'object', additionalProperties: { enum: ['MET', 'NOT_MET', 'UNKNOWN'] } },
            },
          },
        },
      },
    },
  },
} as const;
const validator = new Ajv({ allErrors: true }).compile(CASES_SCHEMA);

export function validateRuleSetCases(value: unknown): { cases: RuleSetCases | null; problems: string[] } {
  if (validator(value)) return { cases: value as RuleSetCases, problems: [] };
  return { cases: null, problems: [...new Set((validator.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`))].sort() };
}

export interface CaseResult {
  readonly name: string;
  /** What differed from the expectation; empty when the case passed. */
  readonly failures: readonly string[];
}

const same = (a: readonly string[], b: readonly string[]): boolean => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Decides every case with the compiled rule set and compares each stated expectation. Pure. */
export function runRuleSetCases(ruleSet: CompiledRuleSet, suite: RuleSetCases): CaseResult[] {
  return suite.cases.map((testCase) => {
    const failures: string[] = [];
    const fixture = suite.fixtures[testCase.from];
    if (!fixture) return { name: testCase.name, failures: [`unknown fixture "${testCase.from}"`] };
    const facts: Record<string, unknown> = { ...fixture.facts, ...testCase.set };
    for (const key of testCase.unset ?? []) delete facts[key];
    const { request: core, problems } = readRequest(ruleSet, {
      dateOfService: testCase.dateOfService ?? fixture.dateOfService,
      lineOfBusiness: testCase.lineOfBusiness ?? fixture.lineOfBusiness,
      facts: Object.entries(facts).map(([key, value]) => ({ key, value })),
      evidence: testCase.evidence ?? fixture.evidence ?? [],
    });
    if (!core) return { name: testCase.name, failures: problems.map((problem) => `request: ${problem.field}: ${problem.message}`) };
    const decision = decide(ruleSet, core);
    const expected = testCase.expect;
    if (decision.outcome !== expected.outcome) failures.push(`outcome ${decision.outcome}, expected ${expected.outcome}`);
    const deciding = decision.trace.filter((entry) => entry.deciding).map((entry) => entry.citation.key);
    if (expected.deciding && !same(deciding, expected.deciding)) failures.push(`deciding [${deciding.join(', ')}], expected [${expected.deciding.join(', ')}]`);
    if (expected.missing && !same(decision.missingFacts, expected.missing)) failures.push(`missing [${decision.missingFacts.join(', ')}], expected [${expected.missing.join(', ')}]`);
    for (const [kind, amount] of Object.entries(expected.authorizedLimits ?? {})) {
      const found = decision.authorizedLimits.find((limit) => limit.kind === kind)?.amount;
      if (found !== amount) failures.push(`authorized ${kind} ${found ?? 'none'}, expected ${amount}`);
    }
    if (expected.billingUnits !== undefined) {
      const units = decision.authorizedLimits.find((limit) => limit.kind === 'MAX_DOSE_PER_PERIOD')?.billingUnits;
      if (units !== expected.billingUnits) failures.push(`billing units ${units ?? 'none'}, expected ${expected.billingUnits}`);
    }
    if (expected.authorized) {
      const found = decision.authorizedLimits.map((limit) => `${limit.citation.key} ${limit.kind}`);
      const wanted = expected.authorized.map((limit) => `${limit.of} ${limit.kind ?? ''}`.trim());
      if (found.length !== wanted.length) failures.push(`authorized [${found.join(', ')}], expected [${wanted.join(', ')}]`);
      for (const limit of expected.authorized) {
        const match = decision.authorizedLimits.find((candidate) => candidate.citation.key === limit.of && (limit.kind === undefined || candidate.kind === limit.kind));
        if (!match) {
          failures.push(`no authorized limit of ${limit.of}${limit.kind ? ` (${limit.kind})` : ''}`);
          continue;
        }
        if (limit.amount !== undefined && match.amount !== limit.amount) failures.push(`authorized ${limit.of} ${match.exactAmount} ${match.unit}, expected ${limit.amount}`);
        if (limit.unit !== undefined && match.unit !== limit.unit) failures.push(`authorized ${limit.of} in ${match.unit}, expected ${limit.unit}`);
        if (limit.billingUnits !== undefined && match.billingUnits !== limit.billingUnits) failures.push(`billing units of ${limit.of} ${match.billingUnits ?? 'none'}, expected ${limit.billingUnits}`);
      }
    }
    for (const [key, value] of Object.entries(expected.derived ?? {})) {
      const found = decision.derivedFacts.find((fact) => fact.key === key)?.value;
      if (found !== value) failures.push(`derived ${key} ${found ?? 'none'}, expected ${value}`);
    }
    if (expected.notices && JSON.stringify(decision.notices.map((notice) => notice.key)) !== JSON.stringify(expected.notices)) {
      failures.push(`notices [${decision.notices.map((notice) => notice.key).join(', ')}], expected [${expected.notices.join(', ')}]`);
    }
    const checklist = new Map(decision.checklist.map((item) => [item.citation.key, item.result]));
    for (const [key, result] of Object.entries(expected.checklist ?? {})) {
      if (checklist.get(key) !== result) failures.push(`checklist ${key} ${checklist.get(key) ?? 'absent'}, expected ${result}`);
    }
    // Whatever a case expects, an approval never rests on an unknown.
    if (decision.outcome === 'APPROVED' && decision.trace.some((entry) => entry.deciding && entry.result !== 'MET')) failures.push('approved on a deciding criterion that is not known to be met');
    return { name: testCase.name, failures };
  });
}
