import { describe, expect, it } from 'vitest';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { compileRuleSet } from '../../src/rules/compile-rule-set.ts';
import type { RuleSetSource } from '../../src/rules/rule-set.ts';
import { validateRuleSetSource } from '../../src/rules/rule-set-schema.ts';
import { fixtureText } from '../support/documents.ts';
import { loadGuideline } from '../support/rule-sets.ts';

const { document, source } = loadGuideline('blincyto/Evolut_CG_3258-2026-01');
type Mutable = { -readonly [K in keyof RuleSetSource]: RuleSetSource[K] };
const edit = (change: (copy: Mutable) => void): RuleSetSource => {
  const copy = structuredClone(source) as Mutable;
  change(copy);
  return copy;
};

describe('a rule set binds to its version only when it matches the text', () => {
  it('the shipped Blincyto rule set compiles with no problems', () => {
    expect(compileRuleSet(source, document).problems).toEqual([]);
  });

  it.each<[string, RuleSetSource, string]>([
    ['a quote that differs from the criterion text', edit((s) => {
      s.exclusions = s.exclusions.map((rule, i) => (i === 0 ? { ...rule, cites: { ...rule.cites, text: 'Disease progression on Blincyto.' } } : rule));
    }), 'RULES_CITATION_MISMATCH'],
    ['a key the version does not have', edit((s) => {
      s.contraindications = [{ ...s.contraindications[0]!, cites: { key: 'CI-0000000000', text: 'x' } }];
    }), 'RULES_UNKNOWN_CRITERION'],
    ['a dose limit that contradicts the text (30 instead of 28 mcg/day)', edit((s) => {
      s.exclusions = s.exclusions.map((rule) => (rule.limit?.kind === 'MAX_DOSE' ? { ...rule, limit: { ...rule.limit, amount: 30 } } : rule));
    }), 'RULES_LIMIT_MISMATCH'],
    ['a cycle limit with another phase qualifier', edit((s) => {
      s.exclusions = s.exclusions.map((rule) => (rule.limit?.kind === 'MAX_DURATION' ? { ...rule, limit: { ...rule.limit, qualifier: 'maintenance' } } : rule));
    }), 'RULES_LIMIT_MISMATCH'],
    ['a dose fact in another unit than the limit', edit((s) => {
      s.facts = s.facts.map((fact) => (fact.key === 'requestedDosePerDayMcg' ? { ...fact, unit: 'mg/day' } : fact));
    }), 'RULES_LIMIT_UNIT_MISMATCH'],
    ['a criterion of the version left without a rule', edit((s) => {
      s.exclusions = s.exclusions.slice(1);
    }), 'RULES_UNCOVERED_CRITERION'],
    ['a rule reading an undeclared fact', edit((s) => {
      s.contraindications = [{ ...s.contraindications[0]!, when: { fact: 'allergy', eq: true } }];
    }), 'RULES_EXPRESSION'],
    ['an enum value the fact does not allow', edit((s) => {
      s.contraindications = [{ ...s.contraindications[0]!, when: { fact: 'diagnosis', eq: 'AML' } }];
    }), 'RULES_EXPRESSION'],
    ['a rule set written for another version', edit((s) => {
      s.implementationDate = '2025-01';
    }), 'RULES_GUIDELINE_MISMATCH'],
  ])('%s is refused', (_name, edited, code) => {
    const { ruleSet, problems } = compileRuleSet(edited, document);
    expect(ruleSet).toBeNull();
    expect(problems.map((p) => p.code)).toContain(code);
  });

  it('the January rule set is refused for the July revision, whose cycle limit and scenarios changed', () => {
    const july = parseGuideline(fixtureText('blincyto-2026-07.txt')).document;
    if (!july) throw new Error('revision must parse');
    const codes = compileRuleSet({ ...source, implementationDate: '2026-07' }, july).problems.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['RULES_LIMIT_MISMATCH', 'RULES_UNCOVERED_CRITERION']));
  });

  it('the JSON Schema rejects malformed rule files with the path of each problem', () => {
    const { source: invalid, problems } = validateRuleSetSource({ name: 'x', guideline: 'y', facts: [{ key: '1bad', type: 'color' }] });
    expect(invalid).toBeNull();
    expect(problems).toEqual(expect.arrayContaining(['/ must have required property \'indications\'', '/facts/0 must have required property \'description\'', '/facts/0/type must be equal to one of the allowed values']));
  });
});

describe('rule-set checks added after review', () => {
  it('a limit the rule never compares with is refused (a literal would escape the text check)', () => {
    const copy = structuredClone(source) as Mutable;
    copy.exclusions = copy.exclusions.map((rule) => (rule.limit?.kind === 'MAX_DOSE' ? { ...rule, when: { fact: 'requestedDosePerDayMcg', gt: 30 } } : rule));
    expect(compileRuleSet(copy, document).problems.map((p) => p.code)).toContain('RULES_LIMIT_NOT_USED');
  });

  it('an authorized remaining duration counting a fact in another unit is refused', () => {
    const copy = structuredClone(source) as Mutable;
    copy.authorize = (copy.authorize ?? []).map((rule) => (rule.kind === 'REMAINING_DURATION' ? { ...rule, used: ['requestedDosePerDayMcg'] } : rule));
    expect(compileRuleSet(copy, document).problems.map((p) => p.code)).toContain('RULES_BAD_AUTHORIZATION');
  });
});
