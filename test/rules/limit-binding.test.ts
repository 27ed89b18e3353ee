import { describe, expect, it } from 'vitest';
import { compileRuleSet } from '../../src/rules/compile-rule-set.ts';
import type { Expression, Term } from '../../src/rules/expression.ts';
import type { RuleSetSource } from '../../src/rules/rule-set.ts';
import { loadGuideline } from '../support/rule-sets.ts';

/**
 * Rule sets that would compile against the letter of the checks yet approve what the text denies
 * (found by a review that tried to game the binding): each must be refused. The Erbitux 500 mg/m²
 * single-dose rule is rewritten in each way; the shipped rule is the control.
 */
const { source, document } = loadGuideline('erbitux/Evolut_CG_3312-2026-03');
const KEY = 'EXC-2dbc967e5d';
const bound: Term = { times: ['$limit', { fact: 'bodySurfaceArea' }] };
const dose = (right: Term): Expression => ({ compare: { fact: 'requestedSubsequentDoseMg' }, gt: right });
const withRule = (when: Expression, edit: (copy: { -readonly [K in keyof RuleSetSource]: RuleSetSource[K] }) => void = () => {}) => {
  const copy = structuredClone(source) as { -readonly [K in keyof RuleSetSource]: RuleSetSource[K] };
  copy.exclusions = copy.exclusions.map((rule) => (rule.cites.key === KEY ? { ...rule, when } : rule));
  edit(copy);
  return compileRuleSet(copy, document).problems.map((problem) => problem.code);
};

describe('a stated limit can only be compared as the text states it', () => {
  it('the shipped rule compiles (control)', () => {
    expect(compileRuleSet(source, document).problems).toEqual([]);
    expect(withRule(dose(bound))).toEqual([]);
  });

  it.each<[string, Expression, string]>([
    ['the limit multiplied by a literal (× 10)', dose({ times: ['$limit', { fact: 'bodySurfaceArea' }, { quantity: 10, unit: '1' }] }), 'RULES_LIMIT_SHAPE'],
    ['max of the limit and a literal 5000 mg', dose({ max: [bound, { quantity: 5000, unit: 'mg' }] }), 'RULES_LIMIT_SHAPE'],
    ['the limit plus 4000 mg', dose({ plus: [bound, { quantity: 4000, unit: 'mg' }] }), 'RULES_LIMIT_SHAPE'],
    ['the limit subtracted from a literal, compared with lt', { compare: { fact: 'requestedSubsequentDoseMg' }, lt: { minus: [{ quantity: 5000, unit: 'mg' }, bound] } }, 'RULES_LIMIT_SHAPE'],
    ['a literal bound on the requested dose beside the limit', { all: [dose(bound), { fact: 'requestedSubsequentDoseMg', gt: 4999 }] }, 'RULES_LIMIT_SHAPE'],
    ['both of two limit comparisons required (all)', { all: [dose(bound), { compare: { fact: 'requestedInitialDoseMg' }, gt: bound }] }, 'RULES_LIMIT_SHAPE'],
    ['at least 2 of a single comparison', { atLeast: 2, of: [dose(bound)] }, 'RULES_EXPRESSION'],
    ['the limit as a divisor', dose({ divide: [{ quantity: 1, unit: 'mg2' }, '$limit'] }), 'RULES_LIMIT_SHAPE'],
    ['another fact against the limit, converted by a literal', { compare: { fact: 'heightCm' }, gt: { times: ['$limit', { quantity: 1, unit: 'cm/mg' }, { fact: 'bodySurfaceArea' }] } }, 'RULES_LIMIT_SHAPE'],
    ['an evidence field outside the off-label checklist', { any: [dose(bound), { field: 'hazardRatio', gt: 1 }] }, 'RULES_EXPRESSION'],
  ])('%s is refused', (_name, when, code) => {
    expect(withRule(when)).toContain(code);
  });

  it('a condition that is not the limit needs an interpretation citing the criterion', () => {
    const narrowed: Expression = { all: [{ fact: 'dosingSchedule', eq: 'WEEKLY' }, dose(bound)] };
    const uncited = withRule(narrowed, (copy) => {
      copy.interpretations = copy.interpretations.map((interpretation) => ({ ...interpretation, criterionKeys: interpretation.criterionKeys.filter((key) => key !== KEY) }));
    });
    expect(uncited).toContain('RULES_UNEXPLAINED_CONDITION');
  });

  it('a remaining duration must count what the exclusion counts, and when needs otherwiseUsed', () => {
    const blincyto = loadGuideline('blincyto/Evolut_CG_3258-2026-01');
    const copy = structuredClone(blincyto.source) as { -readonly [K in keyof RuleSetSource]: RuleSetSource[K] };
    copy.authorize = (copy.authorize ?? []).map((rule) => (rule.kind === 'REMAINING_DURATION' ? { ...rule, used: ['requestedCycles'] } : rule));
    expect(compileRuleSet(copy, blincyto.document).problems.map((problem) => problem.message).join('\n')).toContain('is not what the exclusion counts (priorInductionConsolidationCycles + requestedCycles)');
    copy.authorize = (copy.authorize ?? []).map((rule) => (rule.kind === 'REMAINING_DURATION' ? { ...rule, used: ['priorInductionConsolidationCycles', 'requestedCycles'], when: { fact: 'requestedCyclePhase', eq: 'INDUCTION' } } : rule));
    expect(compileRuleSet(copy, blincyto.document).problems.map((problem) => problem.message).join('\n')).toContain('with when, otherwiseUsed must say what counts');
  });
});
