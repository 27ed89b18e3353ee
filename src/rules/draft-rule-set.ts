import type { Criterion, GuidelineDocument, QuantitativeLimit } from '../domain/document.ts';
import { formatYearMonth } from '../domain/document.ts';
import type { Expression } from './expression.ts';
import type { CriterionRule, ExclusionRule, FactDefinition, IndicationRule, LimitDeclaration, RuleSetSource } from './rule-set.ts';

/**
 * A rule-set skeleton for a parsed version: every criterion cited by key and exact text, every
 * limit declared from the numbers the parser read and compared with a proposed fact in the limit's
 * unit, and a `todo` wherever a person must decide. It compiles except for its TODOs (and for limits
 * the language cannot check yet), so `rules:check` lists exactly what is left to review.
 */
export function draftRuleSet(document: GuidelineDocument, draftedOn: string): RuleSetSource {
  const facts: FactDefinition[] = [{ key: 'birthDate', type: 'date', description: "The member's date of birth.", question: "What is the member's date of birth?" }];
  const factKeys = new Set(facts.map((fact) => fact.key));
  const addFact = (fact: FactDefinition): string => {
    let key = fact.key;
    for (let suffix = 2; factKeys.has(key); suffix += 1) key = `${fact.key}${suffix}`;
    factKeys.add(key);
    facts.push({ ...fact, key });
    return key;
  };
  const todo = (text: string): Expression => ({ todo: text });
  const cite = (criterion: Criterion) => ({ key: criterion.key, text: criterion.text });
  // Sub-items ("including:" lists) are criteria too, each decided by a rule of its own.
  const withSubItems = (criteria: readonly Criterion[]): Criterion[] => criteria.flatMap((criterion) => [criterion, ...withSubItems(criterion.children)]);
  const decideEach = (criteria: readonly Criterion[], why: string): CriterionRule[] => withSubItems(criteria).map((criterion) => ({ cites: cite(criterion), when: todo(`${why}: "${criterion.text}"`) }));

  const indications: IndicationRule[] = document.indications.flatMap((section) =>
    section.populations.map((population) => ({
      section: section.name,
      population: {
        cites: population.text,
        when: population.minimumAge
          ? { all: [{ ageAtLeast: { birthDate: 'birthDate', value: population.minimumAge.value, unit: population.minimumAge.unit } }, todo(`who else the population requires: "${population.text}"`)] }
          : todo(`who is in this population: "${population.text}"`),
      },
      scenarios: decideEach(population.scenarios, 'when the request is this scenario'),
    })),
  );

  const isOffLabel = (criterion: Criterion): boolean => /^investigational use\b/i.test(criterion.text) && criterion.children.length > 0;
  const offLabelExclusion = document.exclusions.find(isOffLabel);
  const exclusions: ExclusionRule[] = document.exclusions.filter((criterion) => criterion !== offLabelExclusion).flatMap((criterion) => {
    const [limit, ...alternatives] = criterion.limits;
    const rule: ExclusionRule = limit
      ? { cites: cite(criterion), limit: declare(limit), when: limitCondition(limit, alternatives, addFact, todo) }
      : { cites: cite(criterion), when: todo(`when the member meets this exclusion: "${criterion.text}"`) };
    return [rule, ...decideEach(criterion.children, 'when the member meets this detail')];
  });

  return {
    name: `${document.header.brandName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${formatYearMonth(document.header.implementationDate)}`,
    guideline: document.header.guidelineNumber,
    implementationDate: formatYearMonth(document.header.implementationDate),
    reviewedBy: 'TODO: the reviewer (and reviewedOn: the date of the review)',
    reviewedOn: draftedOn,
    facts,
    indications,
    contraindications: decideEach(document.contraindications, 'when the member has this contraindication'),
    exclusions,
    ...(document.continuation
      ? { continuation: { requested: todo('when a request is a continuation of therapy'), conditions: decideEach(document.continuation.conditions, 'when this continuation condition holds') } }
      : {}),
    ...(offLabelExclusion
      ? { offLabel: { cites: cite(offLabelExclusion), checklist: decideEach(offLabelExclusion.children, 'when an evidence item fails this item') } }
      : {}),
    notices: [...document.boxedWarnings, ...document.warnings].map(cite),
    interpretations: [],
  };
}

function declare(limit: QuantitativeLimit): LimitDeclaration {
  return { kind: limit.kind, amount: limit.amount, unit: limit.unit, ...(limit.per.length > 0 ? { per: [...limit.per] } : {}), ...(limit.qualifier ? { qualifier: limit.qualifier } : {}) };
}

/** "mg per kg" → "MgPerKg": each run of letters and digits, capitalized, joined. */
function camel(text: string): string {
  let out = '';
  let startOfWord = true;
  for (const char of text) {
    const alphanumeric = (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9');
    if (!alphanumeric) startOfWord = true;
    else {
      out += startOfWord ? char.toUpperCase() : char;
      startOfWord = false;
    }
  }
  return out;
}

/** The comparison a limit implies, with the facts it needs; what the words around it mean stays a TODO. */
function limitCondition(limit: QuantitativeLimit, alternatives: readonly QuantitativeLimit[], addFact: (fact: FactDefinition) => string, todo: (text: string) => Expression): Expression {
  const unit = [limit.unit, ...limit.per].join('/');
  const circumstances = [
    ...(limit.qualifier ? [`when used as ${limit.qualifier} therapy`] : []),
    ...(limit.condition ? [limit.condition] : []),
    ...(limit.cap ? [`a cap of ${limit.cap.amount} ${limit.cap.unit}`] : []),
    ...(limit.interval ? [`every ${limit.interval.amount} ${limit.interval.unit}`] : []),
    ...alternatives.map((alternative) => `the alternative "${alternative.sourceText}"`),
  ];
  let comparison: Expression;
  if (limit.kind === 'MAX_DOSE') {
    const key = addFact({ key: `requestedDose${camel(unit.replaceAll('/', ' per '))}`, type: 'number', unit, minimum: 0, description: `The requested dose, in ${unit}.`, question: `What dose is requested, in ${unit}?` });
    comparison = { fact: key, gt: '$limit' };
  } else {
    const plural = `${camel(limit.unit)}s`;
    const prior = addFact({ key: `prior${plural}`, type: 'number', unit, minimum: 0, description: `${plural} already given, in ${unit}s.`, question: `How many ${limit.unit}s has the member already received?` });
    const requested = addFact({ key: `requested${plural}`, type: 'number', unit, minimum: 0, description: `${plural} requested, in ${unit}s.`, question: `How many ${limit.unit}s are requested?` });
    comparison = { sum: [prior, requested], gt: '$limit' };
  }
  return circumstances.length === 0 ? comparison : { all: [todo(`when the limit "${limit.sourceText}" applies, and how to check ${circumstances.join(', ')}`), comparison] };
}
