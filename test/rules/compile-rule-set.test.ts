import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stableKey } from '../../src/document/stable-key.ts';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { compileRuleSet } from '../../src/rules/compile-rule-set.ts';
import { FALSE } from '../../src/rules/truth.ts';
import type { FactDefinition, RuleSetSource } from '../../src/rules/rule-set.ts';
import { validateRuleSetSource } from '../../src/rules/rule-set-schema.ts';
import { fixtureText, guidelinesDir } from '../support/documents.ts';
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
    ['a dose fact in a unit that is not a dose per day (mg, not mg/d)', edit((s) => {
      s.facts = s.facts.map((fact) => (fact.key === 'requestedDosePerDayMcg' ? { ...fact, unit: 'mg' } : fact));
    }), 'RULES_LIMIT_UNIT_MISMATCH'],
    ['a fact unit that is not UCUM (mcg/day)', edit((s) => {
      s.facts = s.facts.map((fact) => (fact.key === 'requestedDosePerDayMcg' ? { ...fact, unit: 'mcg/day' } : fact));
    }), 'RULES_UNIT'],
    ['cycles counted in doses', edit((s) => {
      s.facts = s.facts.map((fact) => (fact.key === 'requestedCycles' ? { ...fact, unit: '{dose}' } : fact));
    }), 'RULES_UNIT_MISMATCH'],
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

describe('limits and populations the parser now reads completely', () => {
  const seedText = readFileSync(join(guidelinesDir, 'blincyto', 'Evolut_CG_3258-2026-01.txt'), 'utf8');
  const doseText = 'Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day.';
  const withDoseRule = (replacement: string, change: (rule: Mutable['exclusions'][number]) => Mutable['exclusions'][number], facts: FactDefinition[] = []) => {
    const parsed = parseGuideline(seedText.replace(doseText, replacement)).document;
    if (!parsed) throw new Error('edited seed must parse');
    const copy = structuredClone(source) as Mutable;
    const key = stableKey('EXCLUSION', '', replacement);
    copy.facts = [...copy.facts, ...facts];
    copy.exclusions = copy.exclusions.map((rule) => (rule.cites.text === doseText ? change({ ...rule, cites: { key, text: replacement } }) : rule));
    copy.authorize = (copy.authorize ?? []).map((rule) => (rule.limitOf === 'EXC-de3884ab31' ? { ...rule, limitOf: key } : rule));
    copy.interpretations = copy.interpretations.map((interpretation) => ({ ...interpretation, criterionKeys: interpretation.criterionKeys.map((cited) => (cited === 'EXC-de3884ab31' ? key : cited)) }));
    return { ...compileRuleSet(copy, parsed), key };
  };
  const intervalFact: FactDefinition = { key: 'requestedDosingIntervalDays', type: 'integer', unit: 'd', minimum: 1, description: 'Days between doses.', question: 'How many days apart are the doses?' };
  const comboFact: FactDefinition = { key: 'withDasatinib', type: 'boolean', description: 'In combination with dasatinib.', question: 'Is it given with dasatinib?' };

  it('a limit with an interval must be declared with it, and the rule must compare with "$interval", in the right direction', () => {
    const everyTwoWeeks = 'Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day every 2 weeks.';
    expect(withDoseRule(everyTwoWeeks, (rule) => rule).problems.map((p) => p.code)).toContain('RULES_LIMIT_MISMATCH');
    const declared = (rule: Mutable['exclusions'][number]) => ({ ...rule, limit: { ...rule.limit!, interval: { amount: 2, unit: 'week' } } });
    const unused = withDoseRule(everyTwoWeeks, declared, [intervalFact]).problems;
    expect(unused.find((p) => p.code === 'RULES_LIMIT_NOT_USED')?.message).toContain('states an interval of 2 wk, and the rule never compares with "$interval"');
    const backwards = withDoseRule(everyTwoWeeks, (rule) => ({ ...declared(rule), when: { any: [rule.when, { fact: 'requestedDosingIntervalDays', gt: '$interval' }] } }), [intervalFact]).problems;
    expect(backwards.map((p) => p.code)).toContain('RULES_LIMIT_DIRECTION');
    const right = withDoseRule(everyTwoWeeks, (rule) => ({ ...declared(rule), when: { any: [rule.when, { fact: 'requestedDosingIntervalDays', lt: '$interval' }] } }), [intervalFact]);
    expect(right.problems).toEqual([]);
    // 2 weeks are exactly 14 days: 13 days apart exceeds the limit, 14 do not.
    const rule = right.ruleSet!.exclusions.find((candidate) => candidate.citation.key === right.key)!;
    const slot = right.ruleSet!.slotOf.get('requestedDosingIntervalDays')!;
    const values = (days: number) => { const v: (number | undefined)[] = new Array(right.ruleSet!.facts.length).fill(undefined); v[slot] = days; v[right.ruleSet!.slotOf.get('requestedDosePerDayMcg')!] = 28; return v; };
    expect(rule.condition.evaluate({ values: values(13), dateOfService: 0 })).toBe(1);
    expect(rule.condition.evaluate({ values: values(14), dateOfService: 0 })).toBe(0);
    expect(rule.condition.text).toContain('requestedDosingIntervalDays < 2 wk');
  });

  it('a limit stated for a circumstance needs appliesWhen; a limit stated without one may not be narrowed without an interpretation', () => {
    const combination = 'Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day when used in combination with dasatinib.';
    const declared = (rule: Mutable['exclusions'][number]) => ({ ...rule, limit: { ...rule.limit!, condition: 'when used in combination with dasatinib' } });
    const unbound = withDoseRule(combination, declared, [comboFact]).problems;
    expect(unbound.find((p) => p.code === 'RULES_LIMIT_CONDITION_UNBOUND')?.message).toContain('applies when used in combination with dasatinib, and the rule does not say when that is');
    expect(withDoseRule(combination, (rule) => ({ ...declared(rule), appliesWhen: { fact: 'withDasatinib', eq: true } }), [comboFact]).problems).toEqual([]);
    const narrowed = structuredClone(source) as Mutable;
    narrowed.facts = [...narrowed.facts, comboFact];
    narrowed.exclusions = narrowed.exclusions.map((rule) => (rule.cites.text === doseText ? { ...rule, appliesWhen: { fact: 'withDasatinib', eq: true } } : rule));
    const uncited = { ...narrowed, interpretations: narrowed.interpretations.map((interpretation) => ({ ...interpretation, criterionKeys: interpretation.criterionKeys.filter((key) => key !== 'EXC-de3884ab31') })) };
    expect(compileRuleSet(uncited, document).problems.map((p) => p.code)).toContain('RULES_UNEXPLAINED_CONDITION');
    // The Blincyto rule set's interpretation of the dose limit on continuation requests cites it, so there it is explained.
    expect(compileRuleSet(narrowed, document).problems).toEqual([]);
  });

  it('a two-part limit cannot be bound by declaring its first part only (the second would go unchecked)', () => {
    const cycles = 'Treatment exceeds the maximum duration limit of 4 cycles when used as induction and/or consolidation therapy.';
    const twoPart = 'Treatment exceeds the maximum duration limit of 4 cycles when used as induction and/or consolidation therapy, or 2 cycles for members proceeding to hematopoietic stem cell transplant.';
    const parsed = parseGuideline(seedText.replace(cycles, twoPart)).document;
    if (!parsed) throw new Error('edited seed must parse');
    const copy = structuredClone(source) as Mutable;
    const key = stableKey('EXCLUSION', '', twoPart);
    copy.exclusions = copy.exclusions.map((rule) => (rule.cites.text === cycles ? { ...rule, cites: { key, text: twoPart } } : rule));
    copy.authorize = (copy.authorize ?? []).filter((rule) => rule.kind !== 'REMAINING_DURATION');
    const problem = compileRuleSet(copy, parsed).problems.find((p) => p.code === 'RULES_LIMIT_UNDECLARED');
    expect(problem?.message).toContain('a second part "2 cycles for members proceeding to hematopoietic stem cell transplant" that no rule would check');
  });

  it('a limit in the text with no declared limit in its rule is refused (a literal would escape the text check)', () => {
    const copy = structuredClone(source) as Mutable;
    copy.exclusions = copy.exclusions.map((rule) => (rule.limit?.kind === 'MAX_DOSE' ? { cites: rule.cites, when: { fact: 'requestedDosePerDayMcg', gt: 28 } } : rule));
    copy.authorize = [];
    expect(compileRuleSet(copy, document).problems.map((p) => p.code)).toContain('RULES_LIMIT_UNDECLARED');
  });

  describe('a disease section with a second population line', () => {
    const pediatricLine = 'Blincyto (blinatumomab) may be used in pediatric members one month and older with CD19-positive B-cell ALL in the following scenarios:';
    const pediatricScenario = 'As a single agent for B-cell ALL in first relapse';
    const twoPopulations = parseGuideline(seedText.replace(' - As a single agent for relapsed/refractory B-cell ALL\n', ` - As a single agent for relapsed/refractory B-cell ALL\n- ${pediatricLine}\n - ${pediatricScenario}\n`)).document;
    if (!twoPopulations) throw new Error('two-population seed must parse');
    const scenarioKey = stableKey('INDICATION_SCENARIO', 'Acute Lymphoblastic Leukemia', pediatricScenario);
    const withPediatricRule = (scenariosOf: 'own' | 'adult'): RuleSetSource => {
      const copy = structuredClone(source) as Mutable;
      const adult = copy.indications[0];
      if (!adult) throw new Error('seed rule set has an indication');
      const pediatric = { section: adult.section, population: { cites: pediatricLine, when: adult.population.when }, scenarios: [{ cites: { key: scenarioKey, text: pediatricScenario }, when: { fact: 'treatmentSetting', eq: 'RELAPSED_REFRACTORY' } }] };
      copy.indications = scenariosOf === 'own'
        ? [adult, pediatric]
        : [{ ...adult, scenarios: [...adult.scenarios, ...pediatric.scenarios] }, { ...pediatric, scenarios: [] }];
      return copy;
    };

    it('each population is bound by quoting it, and cites its own key', () => {
      const { ruleSet, problems } = compileRuleSet(withPediatricRule('own'), twoPopulations);
      expect(problems).toEqual([]);
      expect(ruleSet?.indications.map((indication) => indication.population.citation.key)).toEqual(['POP-1', 'POP-1.2']);
    });

    it('a scenario placed under the other population is refused', () => {
      const problems = compileRuleSet(withPediatricRule('adult'), twoPopulations).problems;
      expect(problems.map((p) => p.message)).toContain(`scenario ${scenarioKey} is not a scenario of the population "Blincyto (blinatumomab) may be used in adult and pediatric members one month and older with CD19-positive B-cell ALL in the following scenarios:"`);
    });

    it('the seed rule set alone leaves the pediatric scenario uncovered', () => {
      expect(compileRuleSet(source, twoPopulations).problems.map((p) => p.code)).toContain('RULES_UNCOVERED_CRITERION');
    });
  });
});

describe('binding that cannot be gamed', () => {
  it('a contraindication cited as a notice is refused and stays uncovered (it would be shown, never decided)', () => {
    const copy = structuredClone(source) as Mutable;
    const [contraindication] = copy.contraindications;
    if (!contraindication) throw new Error('seed rule set has a contraindication');
    copy.contraindications = [];
    copy.notices = [...(copy.notices ?? []), contraindication.cites];
    const problems = compileRuleSet(copy, document).problems;
    expect(problems.map((p) => p.code)).toEqual(expect.arrayContaining(['RULES_WRONG_RULE_KIND', 'RULES_UNCOVERED_CRITERION']));
    expect(problems.find((p) => p.code === 'RULES_WRONG_RULE_KIND')?.message).toBe(`notice ${contraindication.cites.key}: ${contraindication.cites.key} is a contraindication, which only contraindications rules may decide`);
  });

  it('a criterion cited by two rules is refused', () => {
    const copy = structuredClone(source) as Mutable;
    const [first] = copy.exclusions;
    if (!first) throw new Error('seed rule set has exclusions');
    copy.exclusions = [...copy.exclusions, { ...first, when: { fact: 'diseaseProgressionOnBlinatumomab', eq: false } }];
    expect(compileRuleSet(copy, document).problems.map((p) => p.code)).toContain('RULES_DUPLICATE_CITATION');
  });
});

describe('constants', () => {
  const withConstant = (interpreted: boolean): RuleSetSource => {
    const copy = structuredClone(source) as Mutable;
    const [contraindication] = copy.contraindications;
    if (!contraindication) throw new Error('seed rule set has a contraindication');
    copy.contraindications = [{ ...contraindication, when: { constant: false } }];
    if (interpreted) {
      copy.interpretations = [...copy.interpretations, { topic: 'hypersensitivity', decision: 'never met', rationale: 'checked at the infusion site, not by prior authorization', criterionKeys: [contraindication.cites.key] }];
    }
    return copy;
  };

  it('a criterion decided by a constant needs an interpretation that cites it', () => {
    expect(compileRuleSet(withConstant(false), document).problems.map((p) => p.code)).toEqual(['RULES_UNEXPLAINED_CONSTANT']);
    expect(compileRuleSet(withConstant(true), document).problems).toEqual([]);
  });

  it('a constant is known without any fact: a false contraindication never asks a question', () => {
    const { ruleSet } = compileRuleSet(withConstant(true), document);
    const condition = ruleSet?.contraindications[0]?.condition;
    expect(condition?.facts).toEqual([]);
    expect(condition?.evaluate({ values: [], dateOfService: 0 })).toBe(FALSE);
  });
});

describe('loopholes found in review', () => {
  it('a limit exclusion cited as the off-label rule is refused (its limit would never be checked)', () => {
    const copy = structuredClone(source) as Mutable;
    const dose = copy.exclusions.find((rule) => rule.limit?.kind === 'MAX_DOSE');
    const offLabel = copy.offLabel;
    if (!dose || !offLabel) throw new Error('seed rule set has a dose exclusion and an off-label rule');
    copy.exclusions = [...copy.exclusions.filter((rule) => rule !== dose), { cites: offLabel.cites, when: { fact: 'diseaseProgressionOnBlinatumomab', eq: true } }];
    copy.offLabel = { ...offLabel, cites: dose.cites };
    copy.authorize = (copy.authorize ?? []).filter((rule) => rule.kind !== 'MAX_DOSE_PER_PERIOD');
    expect(compileRuleSet(copy, document).problems.map((p) => p.code)).toContain('RULES_BAD_OFF_LABEL');
  });

  it.each([
    ['under not', { not: { constant: true } }],
    ['inside all', { all: [{ constant: false }] }],
  ])('a constant %s still needs an interpretation', (_where, when) => {
    const copy = structuredClone(source) as Mutable;
    copy.contraindications = copy.contraindications.map((rule) => ({ ...rule, when }));
    expect(compileRuleSet(copy, document).problems.map((p) => p.code)).toContain('RULES_UNEXPLAINED_CONSTANT');
  });

  it('a population decided by a constant is refused', () => {
    const copy = structuredClone(source) as Mutable;
    copy.indications = copy.indications.map((rule) => ({ ...rule, population: { ...rule.population, when: { constant: true } } }));
    expect(compileRuleSet(copy, document).problems.map((p) => p.code)).toContain('RULES_UNEXPLAINED_CONSTANT');
  });

  it.each([
    ['lt', { fact: 'requestedDosePerDayMcg', lt: '$limit' }],
    ['not gt', { not: { fact: 'requestedDosePerDayMcg', gt: '$limit' } }],
  ])('a dose exclusion compared the wrong way round (%s) is refused', (_name, when) => {
    const copy = structuredClone(source) as Mutable;
    copy.exclusions = copy.exclusions.map((rule) => (rule.limit?.kind === 'MAX_DOSE' ? { ...rule, when: when as never } : rule));
    expect(compileRuleSet(copy, document).problems.map((p) => p.code)).toContain('RULES_LIMIT_DIRECTION');
  });
});
