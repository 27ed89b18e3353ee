import type { Criterion, GuidelineDocument, QuantitativeLimit } from '../domain/document.ts';
import { formatYearMonth } from '../domain/document.ts';
import type { Expression, Term } from './expression.ts';
import type { AuthorizationRule, CriterionRule, DerivedFact, ExclusionRule, FactDefinition, IndicationRule, LimitDeclaration, RuleSetSource } from './rule-set.ts';
import { sameDimension, ucumOfWord } from './units.ts';

/**
 * A rule-set skeleton for a parsed version: every criterion cited by key and exact text, every
 * limit declared from the numbers the parser read and compared with a proposed fact in the limit's
 * UCUM unit (multiplied by the member's weight or body surface area, capped, with its interval),
 * what an approval authorizes, and a `todo` wherever a person must decide. It compiles except for
 * its TODOs, so `rules:check` lists exactly what is left to review.
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
  // One request has one dose, one interval and one count of prior cycles: limits in the same unit share their facts.
  const facts$ = { useFact: (fact: FactDefinition) => (factKeys.has(fact.key) ? fact.key : addFact(fact)), derived: [] as DerivedFact[] };
  const authorize: AuthorizationRule[] = [];
  const exclusions: ExclusionRule[] = document.exclusions.filter((criterion) => criterion !== offLabelExclusion).flatMap((criterion) => {
    const [limit, ...alternatives] = criterion.limits;
    if (!limit) return [{ cites: cite(criterion), when: todo(`when the member meets this exclusion: "${criterion.text}"`) }, ...decideEach(criterion.children, 'when the member meets this detail')];
    const first = limitRule(limit, facts$, todo);
    const rule: ExclusionRule = {
      cites: cite(criterion),
      limit: declare(limit),
      ...(first.appliesWhen ? { appliesWhen: first.appliesWhen } : {}),
      when: first.when,
      ...(alternatives.length > 0
        ? { alternatives: alternatives.map((alternative) => { const part = limitRule(alternative, facts$, todo); return { limit: declare(alternative), appliesWhen: part.appliesWhen ?? todo(`when "${alternative.sourceText}" replaces the first part`), when: part.when }; }) }
        : {}),
    };
    authorize.push(authorization(criterion.key, limit, first, document));
    return [rule, ...decideEach(criterion.children, 'when the member meets this detail')];
  });
  return {
    name: `${document.header.brandName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${formatYearMonth(document.header.implementationDate)}`,
    guideline: document.header.guidelineNumber,
    implementationDate: formatYearMonth(document.header.implementationDate),
    reviewedBy: 'TODO: the reviewer (and reviewedOn: the date of the review)',
    reviewedOn: draftedOn,
    facts,
    ...(facts$.derived.length > 0 ? { derived: facts$.derived } : {}),
    indications,
    contraindications: decideEach(document.contraindications, 'when the member has this contraindication'),
    exclusions,
    ...(document.continuation
      ? { continuation: { requested: todo('when a request is a continuation of therapy'), conditions: decideEach(document.continuation.conditions, 'when this continuation condition holds') } }
      : {}),
    ...(offLabelExclusion
      ? { offLabel: { cites: cite(offLabelExclusion), checklist: decideEach(offLabelExclusion.children, 'when an evidence item meets this item (true = it meets it)') } }
      : {}),
    notices: [...document.boxedWarnings, ...document.warnings].map(cite),
    ...(authorize.length > 0 ? { authorize } : {}),
    interpretations: [],
  };
}

function declare(limit: QuantitativeLimit): LimitDeclaration {
  return {
    kind: limit.kind, amount: limit.amount, unit: limit.unit,
    ...(limit.per.length > 0 ? { per: [...limit.per] } : {}),
    ...(limit.cap ? { cap: { amount: limit.cap.amount, unit: limit.cap.unit } } : {}),
    ...(limit.interval ? { interval: { amount: limit.interval.amount, unit: limit.interval.unit } } : {}),
    ...(limit.qualifier ? { qualifier: limit.qualifier } : {}),
    ...(limit.condition ? { condition: limit.condition } : {}),
  };
}

interface DraftFacts {
  /** Declares the fact, or returns the key of the one declared already. */
  readonly useFact: (fact: FactDefinition) => string;
  readonly derived: DerivedFact[];
}

/** The member's weight or body surface area a per-kg or per-m2 limit needs (declared once), or null. */
function bodyMeasure(limit: QuantitativeLimit, facts: DraftFacts): Term | null {
  const number = (key: string, unit: string, minimum: number, maximum: number, what: string): string =>
    facts.useFact({ key, type: 'number', unit, minimum, maximum, description: `The member's ${what}.`, question: `What is the member's ${what}, in ${unit}?` });
  if (limit.per.includes('kg')) return { fact: number('weightKg', 'kg', 1, 400, 'body weight') };
  if (!limit.per.includes('m2')) return null;
  const height = number('heightCm', 'cm', 30, 250, 'height');
  const weight = number('weightKg', 'kg', 1, 400, 'body weight');
  if (!facts.derived.some((fact) => fact.key === 'bodySurfaceArea')) {
    facts.derived.push({
      key: 'bodySurfaceArea', formula: 'MOSTELLER', height, weight, description: "The member's body surface area, from height and weight.",
      rationale: 'TODO: why this formula (Mosteller or Du Bois) for this drug',
    });
  }
  return { fact: 'bodySurfaceArea' };
}

/** The comparison a limit implies, with the facts it needs; when the limit applies stays a TODO. */
function limitRule(limit: QuantitativeLimit, facts: DraftFacts, todo: (text: string) => Expression): { when: Expression; appliesWhen: Expression | null; dose: Term | null } {
  const circumstance = [limit.qualifier ? `only as qualified "${limit.qualifier}"` : null, limit.condition].filter((text): text is string => text !== null).join(' and ') || null;
  const appliesWhen = circumstance ? todo(`when the limit "${limit.sourceText}" applies: ${circumstance}`) : null;
  // The dose is requested as the prescriber writes it (absolute, per dose, day or cycle); a per-kg
  // or per-m2 amount is multiplied by the member's weight or body surface area, then capped.
  const periods = limit.per.filter((per) => per !== 'kg' && per !== 'm2');
  const unit = [ucumOfWord(limit.unit) ?? limit.unit, ...periods.map((per) => ucumOfWord(per) ?? per)].join('/');
  if (limit.kind === 'MAX_DOSE') {
    const words = [limit.unit, ...periods].join(' per ');
    const key = facts.useFact({ key: `requestedDose${camel(words)}`, type: 'number', unit, minimum: 0, description: `The requested dose, in ${words} (absolute, as prescribed).`, question: `What dose is requested, in ${words}?` });
    const measure = bodyMeasure(limit, facts);
    const perMember: Term = measure ? { times: ['$limit', measure] } : '$limit';
    const dose: Term = limit.cap ? { min: [perMember, '$cap'] } : perMember;
    // Over the cap or over the per-kg amount: a dose above the cap is denied even before the weight is known.
    const exceeded: Expression = limit.cap ? { any: [{ compare: { fact: key }, gt: '$cap' }, { compare: { fact: key }, gt: perMember }] } : { compare: { fact: key }, gt: dose };
    if (!limit.interval) return { when: exceeded, appliesWhen, dose: measure || limit.cap ? dose : null };
    facts.useFact({ key: 'requestedDosingIntervalDays', type: 'integer', unit: 'd', minimum: 1, maximum: 365, description: 'Days between the requested doses.', question: 'How many days apart are the requested doses?' });
    // "400 mg every 6 weeks" may be a single-dose limit with a minimum interval, or a dose rate that
    // also allows 200 mg every 3 weeks: a person reads it (e.g. { fact: requestedDosingIntervalDays, lt: $interval }).
    return { when: { any: [exceeded, { todo: `how the interval of "${limit.sourceText}" limits dosing: doses closer together than it, or a dose rate over it (compare with $interval)` }] }, appliesWhen, dose: measure || limit.cap ? dose : null };
  }
  const plural = `${camel(limit.unit)}s`;
  // Cycles and doses are counted in whole numbers; months and weeks of therapy need not be.
  const type = limit.unit === 'cycle' || limit.unit === 'dose' ? 'integer' : 'number';
  const prior = facts.useFact({ key: `prior${plural}`, type, unit, minimum: 0, description: `${plural} already given.`, question: `How many ${limit.unit}s has the member already received?` });
  const requested = facts.useFact({ key: `requested${plural}`, type, unit, minimum: 0, description: `${plural} requested.`, question: `How many ${limit.unit}s are requested?` });
  return { when: { sum: [prior, requested], gt: '$limit' }, appliesWhen, dose: null };
}

/** What an approval authorizes for a limit: its dose (in billing units of the first code that converts) or what remains of it. */
function authorization(limitOf: string, limit: QuantitativeLimit, rule: { when: Expression; dose: Term | null }, document: GuidelineDocument): AuthorizationRule {
  if (limit.kind === 'MAX_DURATION') {
    const summed = 'sum' in rule.when ? rule.when.sum : [];
    return { kind: 'REMAINING_DURATION', limitOf, used: [...summed] };
  }
  const code = document.codes.find((candidate) => candidate.billingUnit && ucumOfWord(candidate.billingUnit.unit) !== null && sameDimension(ucumOfWord(candidate.billingUnit.unit) as string, ucumOfWord(limit.unit) ?? ''));
  // A copy, so the YAML shows the dose again rather than an alias to the exclusion's.
  return { kind: 'MAX_DOSE_PER_PERIOD', limitOf, ...(rule.dose ? { dose: structuredClone(rule.dose) } : {}), ...(code ? { billingCode: code.code, billingUnits: 'UP' as const } : {}) };
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
