import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decide } from '../../src/rules/decide.ts';
import { readRequest } from '../../src/rules/read-request.ts';
import { repoRoot } from '../support/documents.ts';
import { loadGuideline } from '../support/rule-sets.ts';

const request = {
  dateOfService: { type: 'string' },
  lineOfBusiness: { type: 'string' },
  facts: { type: 'object' },
  evidence: { type: 'array', items: { type: 'object' } },
};
/** Cases are data; this schema makes an expectation mandatory, so a case that asserts nothing fails. */
const casesSchema = {
  type: 'object', additionalProperties: false, required: ['guideline', 'fixtures', 'cases'],
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
              notices: { type: 'array', items: { type: 'string' } },
              checklist: { type: 'object', additionalProperties: { enum: ['MET', 'NOT_MET', 'UNKNOWN'] } },
            },
          },
        },
      },
    },
  },
};
const validate = new Ajv({ allErrors: true }).compile(casesSchema);

interface CaseFile {
  guideline: string;
  fixtures: Record<string, { dateOfService: string; lineOfBusiness: string; facts: Record<string, unknown>; evidence?: Record<string, unknown>[] }>;
  cases: {
    name: string; from: string; set?: Record<string, unknown>; unset?: string[]; dateOfService?: string; lineOfBusiness?: string; evidence?: Record<string, unknown>[];
    expect: { outcome: string; deciding?: string[]; missing?: string[]; authorizedLimits?: Record<string, number>; billingUnits?: number; notices?: string[]; checklist?: Record<string, string> };
  }[];
}

const casesDir = join(repoRoot, 'test', 'cases');
for (const file of readdirSync(casesDir).filter((name) => name.endsWith('.cases.yaml')).sort()) {
  const data: unknown = parse(readFileSync(join(casesDir, file), 'utf8'));
  describe(file, () => {
    it('is a valid case file (every case has an expectation)', () => {
      expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    });
    if (!validate(data)) return;
    const cases = data as unknown as CaseFile;
    const { ruleSet } = loadGuideline(cases.guideline);
    for (const testCase of cases.cases) {
      it(testCase.name, () => {
        const fixture = cases.fixtures[testCase.from];
        if (!fixture) throw new Error(`unknown fixture ${testCase.from}`);
        const facts = { ...fixture.facts, ...testCase.set };
        for (const key of testCase.unset ?? []) delete facts[key];
        const { request, problems } = readRequest(ruleSet, {
          dateOfService: testCase.dateOfService ?? fixture.dateOfService,
          lineOfBusiness: testCase.lineOfBusiness ?? fixture.lineOfBusiness,
          facts: Object.entries(facts).map(([key, value]) => ({ key, value })),
          evidence: testCase.evidence ?? fixture.evidence ?? [],
        });
        expect(problems).toEqual([]);
        if (!request) return;
        const decision = decide(ruleSet, request);
        const { expect: expected } = testCase;
        expect(decision.outcome).toBe(expected.outcome);
        const deciding = decision.trace.filter((entry) => entry.deciding).map((entry) => entry.citation.key);
        if (expected.deciding) expect([...deciding].sort()).toEqual([...expected.deciding].sort());
        if (expected.missing) expect([...decision.missingFacts].sort()).toEqual([...expected.missing].sort());
        if (expected.authorizedLimits) {
          expect(Object.fromEntries(decision.authorizedLimits.filter((l) => l.kind in (expected.authorizedLimits ?? {})).map((l) => [l.kind, l.amount]))).toEqual(expected.authorizedLimits);
        }
        if (expected.billingUnits !== undefined) expect(decision.authorizedLimits.find((l) => l.kind === 'MAX_DOSE_PER_PERIOD')?.billingUnits).toBe(expected.billingUnits);
        if (expected.notices) expect(decision.notices.map((n) => n.key)).toEqual(expected.notices);
        if (expected.checklist) {
          const results = Object.fromEntries(decision.checklist.map((item) => [item.citation.key, item.result]));
          for (const [key, result] of Object.entries(expected.checklist)) expect(results[key], key).toBe(result);
        }
        // Whatever the outcome, an approval never rests on an unknown.
        if (decision.outcome === 'APPROVED') expect(decision.trace.filter((t) => t.deciding && t.result !== 'MET')).toEqual([]);
      });
    }
  });
}
