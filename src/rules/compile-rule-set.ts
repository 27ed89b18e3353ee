import type { CriterionKind, GuidelineDocument, QuantitativeLimit, SourceSpan } from '../domain/document.ts';
import { formatYearMonth } from '../domain/document.ts';
import { allCriteria } from '../domain/criteria.ts';
import { populationKey } from '../domain/population-key.ts';
import type { CompiledExpression, EvaluationInput, FactSource } from './compile-expression.ts';
import { allOf, anyOf, compileExpression, notOf } from './compile-expression.ts';
import type { CompiledTerm, LimitQuantities } from './compile-term.ts';
import { compileTerm, describeQuantity } from './compile-term.ts';
import { toNumber } from './exact.ts';
import type { Expression, LimitReference, RoundingMode } from './expression.ts';
import type { AuthorizationRule, Citation, DerivedFact, FactDefinition, InterpretationSource, RuleSetSource } from './rule-set.ts';
import { containsConstant, containsTodo, describeLimitParts, limitShapeProblems, firstWordDifference, limitReferences, sameLimit } from './limit-checks.ts';
import type { UnitQuantity } from './units.ts';
import { conversion, limitAmount, quantityOf, ucumOfWord, unitProblem } from './units.ts';

export const RuleSetCode = {
  GuidelineMismatch: 'RULES_GUIDELINE_MISMATCH',
  DuplicateFact: 'RULES_DUPLICATE_FACT',
  UnknownCriterion: 'RULES_UNKNOWN_CRITERION',
  CitationMismatch: 'RULES_CITATION_MISMATCH',
  UnknownSection: 'RULES_UNKNOWN_SECTION',
  LimitMismatch: 'RULES_LIMIT_MISMATCH',
  LimitUnitMismatch: 'RULES_LIMIT_UNIT_MISMATCH',
  LimitNotUsed: 'RULES_LIMIT_NOT_USED',
  LimitUnsupported: 'RULES_LIMIT_UNSUPPORTED',
  LimitUndeclared: 'RULES_LIMIT_UNDECLARED',
  LimitDirection: 'RULES_LIMIT_DIRECTION',
  BadOffLabel: 'RULES_BAD_OFF_LABEL',
  Expression: 'RULES_EXPRESSION',
  UncoveredCriterion: 'RULES_UNCOVERED_CRITERION',
  BadAuthorization: 'RULES_BAD_AUTHORIZATION',
  WrongRuleKind: 'RULES_WRONG_RULE_KIND',
  UnexplainedConstant: 'RULES_UNEXPLAINED_CONSTANT',
  Todo: 'RULES_TODO',
  DuplicateCitation: 'RULES_DUPLICATE_CITATION',
  Unit: 'RULES_UNIT',
  UnitMismatch: 'RULES_UNIT_MISMATCH',
  LimitConditionUnbound: 'RULES_LIMIT_CONDITION_UNBOUND',
  UnexplainedCondition: 'RULES_UNEXPLAINED_CONDITION',
  BadDerivedFact: 'RULES_BAD_DERIVED_FACT',
  LimitShape: 'RULES_LIMIT_SHAPE',
} as const;

/** Where in the rule set a problem is: keys and indexes from the root, e.g. ["exclusions", 1, "limit"]. */
export type RuleSetPath = readonly (string | number)[];

export interface RuleSetProblem {
  readonly code: (typeof RuleSetCode)[keyof typeof RuleSetCode];
  readonly message: string;
  /** The rule-set node at fault; the services layer turns it into the file's line and column. */
  readonly path: RuleSetPath;
  /** What the version says, and what the rule set says instead, when the problem is a mismatch. */
  readonly expected?: string;
  readonly found?: string;
  /** What to change. */
  readonly hint?: string;
}

interface ProblemDetail {
  readonly expected?: string;
  readonly found?: string;
  readonly hint?: string;
}

export interface CitedText {
  readonly key: string;
  readonly text: string;
  readonly span: SourceSpan | null;
}

export interface CompiledRule {
  readonly citation: CitedText;
  readonly condition: CompiledExpression;
}

/** One part of an exclusion's limit: what it is, when it applies, and its quantities with UCUM units. */
export interface CompiledLimitPart {
  readonly limit: QuantitativeLimit;
  readonly quantities: LimitQuantities;
  /** When this part applies; null = always (a limit the text states without a condition). */
  readonly applies: CompiledExpression | null;
}

export interface CompiledExclusion extends CompiledRule {
  /** The first part of the limit, when the criterion states one. */
  readonly limit: QuantitativeLimit | null;
  readonly parts: readonly CompiledLimitPart[];
}

export interface CompiledIndication {
  readonly section: string;
  readonly population: CompiledRule;
  readonly scenarios: readonly CompiledRule[];
}

/** A rule set bound to one guideline version: citations resolved, limits checked, expressions compiled. */
export interface CompiledRuleSet {
  readonly name: string;
  readonly guidelineNumber: string;
  readonly facts: readonly FactDefinition[];
  readonly evidenceFields: readonly FactDefinition[];
  readonly slotOf: ReadonlyMap<string, number>;
  readonly indications: readonly CompiledIndication[];
  readonly contraindications: readonly CompiledRule[];
  readonly exclusions: readonly CompiledExclusion[];
  readonly continuation: { readonly requested: CompiledExpression; readonly conditions: readonly CompiledRule[] } | null;
  readonly offLabel: { readonly citation: CitedText; readonly checklist: readonly CompiledRule[] } | null;
  readonly notices: readonly (CitedText & { readonly kind: string })[];
  readonly authorize: readonly CompiledAuthorization[];
  /** Derived facts with their formulas, for the trace: "bodySurfaceArea = Mosteller(heightCm, weightKg) = 1.9 m2". */
  readonly derived: readonly { readonly key: string; readonly text: string; readonly get: (input: EvaluationInput) => number | undefined }[];
  readonly linesOfBusiness: ReadonlyMap<string, { readonly label: string; readonly applicable: boolean; readonly span: SourceSpan }>;
  readonly interpretations: readonly InterpretationSource[];
}

/** A limit the approval authorizes, computed from the member's facts for the part of the limit that applies. */
export interface CompiledAuthorization {
  readonly kind: AuthorizationRule['kind'];
  readonly citation: CitedText;
  readonly parts: readonly {
    readonly limit: QuantitativeLimit;
    readonly applies: CompiledExpression | null;
    /** MAX_DOSE_PER_PERIOD: the member's maximum dose; REMAINING_DURATION: the limit. */
    readonly amount: CompiledTerm;
    /** The UCUM unit the amount is authorized in: the limit's unit without kg or m2 ("mg", "ug/d"). */
    readonly perUnit: string;
  }[];
  /** REMAINING_DURATION: the quantity already used (prior plus requested), in the limit's unit. */
  readonly used: CompiledTerm | null;
  /** When given and not met, `otherwiseUsed` counts instead (maintenance cycles do not count). */
  readonly usedWhen: CompiledExpression | null;
  readonly otherwiseUsed: CompiledTerm | null;
  readonly billing: { readonly code: string; readonly unit: UnitQuantity; readonly rounding: RoundingMode } | null;
  /** Every input fact the authorization reads: an approval without one of them is INCOMPLETE. */
  readonly facts: readonly string[];
  /** "min(1.8 mg/kg × bodyWeightKg, 180 mg)" or "4 {cycle} − (priorCycles + requestedCycles)". */
  readonly text: string;
}

type RulePlace = 'indications' | 'contraindications' | 'exclusions' | 'continuation' | 'offLabel' | 'offLabel checklist' | 'notices';

/** Which part of a rule set may decide each kind of criterion. Notices only show; they decide nothing. */
const RULE_PLACES: Readonly<Record<CriterionKind, readonly RulePlace[]>> = {
  INDICATION_SCENARIO: ['indications'],
  CONTRAINDICATION: ['contraindications'],
  EXCLUSION: ['exclusions', 'offLabel'],
  EXCLUSION_DETAIL: ['offLabel checklist', 'exclusions'],
  CONTINUATION_CONDITION: ['continuation'],
  BOXED_WARNING: ['notices'],
  WARNING: ['notices'],
};

/**
 * Binds a rule set to the version it was reviewed against. Every problem is collected (sorted),
 * never thrown one at a time; a rule set with problems must not be attached.
 */
export function compileRuleSet(source: RuleSetSource, document: GuidelineDocument): { ruleSet: CompiledRuleSet | null; problems: RuleSetProblem[] } {
  const problems: RuleSetProblem[] = [];
  const problem = (code: RuleSetProblem['code'], message: string, path: RuleSetPath = [], detail: ProblemDetail = {}): void => void problems.push({ code, message, path, ...detail });

  if (source.guideline !== document.header.guidelineNumber || source.implementationDate !== formatYearMonth(document.header.implementationDate)) {
    problem(RuleSetCode.GuidelineMismatch, `rule set ${source.name} is for ${source.guideline} ${source.implementationDate}, not ${document.header.guidelineNumber} ${formatYearMonth(document.header.implementationDate)}`, ['guideline'], {
      expected: `${document.header.guidelineNumber} ${formatYearMonth(document.header.implementationDate)}`, found: `${source.guideline} ${source.implementationDate}`,
    });
  }
  if (source.reviewedBy.startsWith('TODO')) problem(RuleSetCode.Todo, 'the rule set names no reviewer: a draft decides nothing until a person has reviewed it', ['reviewedBy'], { hint: 'name the reviewer and set reviewedOn to the review date' });
  const factByKey = new Map<string, FactDefinition>();
  for (const [index, fact] of source.facts.entries()) {
    if (factByKey.has(fact.key)) problem(RuleSetCode.DuplicateFact, `fact "${fact.key}" is declared twice`, ['facts', index]);
    factByKey.set(fact.key, fact);
  }
  const slotOf = new Map(source.facts.map((fact, index) => [fact.key, index]));
  source.facts.forEach((fact, index) => {
    const why = fact.unit === undefined ? null : unitProblem(fact.unit);
    if (why) problem(RuleSetCode.Unit, `fact "${fact.key}": ${why}`, ['facts', index, 'unit'], { found: fact.unit, hint: 'write the unit as UCUM: ug, mg, kg, m2, cm, d, wk, mo, {cycle}, {dose}; ug/d for micrograms per day' });
    if (fact.unit !== undefined && fact.type !== 'number' && fact.type !== 'integer') problem(RuleSetCode.Unit, `fact "${fact.key}" is a ${fact.type}: only numbers have units`, ['facts', index, 'unit']);
  });
  const sources = new Map<string, FactSource>(source.facts.map((fact, index): [string, FactSource] => [fact.key, { definition: fact, facts: [fact.key], slot: index, get: (input) => input.values[index] }]));
  const derived = (source.derived ?? []).flatMap((definition, index) => {
    if (definition.rationale.startsWith('TODO')) problem(RuleSetCode.Todo, `derived fact "${definition.key}": ${definition.rationale}`, ['derived', index, 'rationale']);
    const compiled = deriveFact(definition, sources, (message, field) => problem(RuleSetCode.BadDerivedFact, `derived fact "${definition.key}": ${message}`, ['derived', index, field]));
    if (!compiled) return [];
    if (sources.has(definition.key)) {
      problem(RuleSetCode.DuplicateFact, `derived fact "${definition.key}" is also declared as a fact`, ['derived', index, 'key']);
      return [];
    }
    sources.set(definition.key, compiled.source);
    return [{ key: definition.key, text: compiled.text, get: compiled.source.get as (input: EvaluationInput) => number | undefined, interpretation: compiled.interpretation }];
  });
  const fieldByKey = new Map((source.evidence ?? []).map((field) => [field.key, field]));
  const criteria = new Map(allCriteria(document).map((criterion) => [criterion.key, criterion]));
  const covered = new Set<string>();

  const citedBy = new Map<string, string>();
  const cite = (citation: Citation, where: string, place: RulePlace, path: RuleSetPath): CitedText => {
    const criterion = criteria.get(citation.key);
    const earlier = citedBy.get(citation.key);
    if (earlier !== undefined) problem(RuleSetCode.DuplicateCitation, `${where}: criterion ${citation.key} is already decided by ${earlier}; a criterion has exactly one rule`, path, { hint: 'remove one of the two rules' });
    citedBy.set(citation.key, where);
    // A criterion counts as covered only by a rule that decides criteria of its kind: a
    // contraindication cited as a notice would be shown, never decided (and the member approved).
    if (criterion && !RULE_PLACES[criterion.kind].includes(place)) {
      problem(RuleSetCode.WrongRuleKind, `${where}: ${citation.key} is a ${criterion.kind.toLowerCase().replaceAll('_', ' ')}, which only ${RULE_PLACES[criterion.kind].join(' or ')} rules may decide`, path, {
        hint: `move it under ${RULE_PLACES[criterion.kind][0]}, with a condition that decides it`,
      });
    } else covered.add(citation.key);
    if (!criterion) {
      problem(RuleSetCode.UnknownCriterion, `${where}: criterion ${citation.key} is not in this version`, [...path, 'key'], { hint: 'cite a key of this version (its criteria list them), or remove the rule' });
      return { key: citation.key, text: citation.text, span: null };
    }
    if (criterion.text !== citation.text) {
      problem(RuleSetCode.CitationMismatch, `${where}: the quoted text of ${citation.key} does not match the version's text (the text changed and the rule was not reviewed); ${firstWordDifference(criterion.text, citation.text)}`, [...path, 'text'], {
        expected: criterion.text, found: citation.text, hint: 'review the rule against the new text, then quote it exactly',
      });
    }
    return { key: criterion.key, text: criterion.text, span: criterion.span };
  };
  const contextFor = (where: string, path: RuleSetPath, limit?: LimitQuantities, evidence = false) => ({
    factOf: (key: string) => sources.get(key),
    numberOf: (key: string) => {
      const found = sources.get(key);
      return found && (found.definition.type === 'number' || found.definition.type === 'integer') ? (found as never) : undefined;
    },
    // Evidence fields are read only by the off-label checklist, item by item; anywhere else they would always be unknown.
    fieldOf: (key: string) => (evidence ? fieldByKey.get(key) : undefined),
    limit,
    error: (message: string, detail: ProblemDetail = {}) => problem(message.startsWith('TODO: ') ? RuleSetCode.Todo : RuleSetCode.Expression, `${where}: ${message}`, path, detail),
    unitError: (message: string, detail: ProblemDetail) => problem(limit ? RuleSetCode.LimitUnitMismatch : RuleSetCode.UnitMismatch, `${where}: ${message}`, path, detail),
  });
  const compile = (expression: Expression, where: string, path: RuleSetPath, limit?: LimitQuantities, evidence = false): CompiledExpression => compileExpression(expression, contextFor(where, path, limit, evidence));
  const explained = new Set(source.interpretations.flatMap((interpretation) => interpretation.criterionKeys));

  const indications: CompiledIndication[] = source.indications.map((rule, ruleIndex) => {
    const at: RuleSetPath = ['indications', ruleIndex];
    const section = document.indications.find((candidate) => candidate.name === rule.section);
    if (!section) {
      problem(RuleSetCode.UnknownSection, `indication "${rule.section}" is not a disease section of this version`, [...at, 'section'], {
        expected: document.indications.map((candidate) => candidate.name).join(' | '), found: rule.section,
      });
    }
    // A section may have several population lines: the rule names the one it is for by quoting it.
    const population = section?.populations.find((candidate) => candidate.text === rule.population.cites);
    if (section && !population) {
      problem(
        RuleSetCode.CitationMismatch,
        `indication "${rule.section}": the quoted population "${rule.population.cites}" is not a population line of this section (${section.populations.map((candidate) => `"${candidate.text}"`).join(', ')})`,
        [...at, 'population', 'cites'],
        {
          expected: section.populations.map((candidate) => candidate.text).join(' | '),
          found: rule.population.cites,
          hint: section.populations[0] ? firstWordDifference(section.populations[0].text, rule.population.cites) : 'the section has no population line',
        },
      );
    }
    const populationCitation: CitedText = {
      key: section && population ? populationKey(section.ordinal, population.ordinal) : `POP-${section?.ordinal ?? 0}`,
      text: population?.text ?? rule.population.cites,
      span: population?.span ?? null,
    };
    const ownScenarios = new Set((population?.scenarios ?? []).flatMap(function keys(criterion): string[] { return [criterion.key, ...criterion.children.flatMap(keys)]; }));
    return {
      section: rule.section,
      population: { citation: populationCitation, condition: compile(rule.population.when, `population of ${rule.section}`, [...at, 'population', 'when']) },
      scenarios: rule.scenarios.map((scenario, index) => {
        const scenarioAt: RuleSetPath = [...at, 'scenarios', index];
        if (population && criteria.has(scenario.cites.key) && !ownScenarios.has(scenario.cites.key)) {
          problem(RuleSetCode.CitationMismatch, `scenario ${scenario.cites.key} is not a scenario of the population "${population.text}"`, [...scenarioAt, 'cites'], {
            hint: 'move the rule under the indication rule that quotes its own population line',
          });
        }
        return { citation: cite(scenario.cites, `scenario ${scenario.cites.key}`, 'indications', [...scenarioAt, 'cites']), condition: compile(scenario.when, `scenario ${scenario.cites.key}`, [...scenarioAt, 'when']) };
      }),
    };
  });

  const contraindications = source.contraindications.map((rule, index) => ({
    citation: cite(rule.cites, `contraindication ${rule.cites.key}`, 'contraindications', ['contraindications', index, 'cites']),
    condition: compile(rule.when, `contraindication ${rule.cites.key}`, ['contraindications', index, 'when']),
  }));

  // Every number of the limit must be what the rule compares with, in the direction the text means:
  // a maximum dose or cap is exceeded by a value above it, an interval by doses closer together.
  const checkLimitUse = (when: Expression, parsed: QuantitativeLimit, quantities: LimitQuantities, where: string, path: RuleSetPath, criterionKey: string): void => {
    const references = limitReferences(when);
    const used = new Set(references.map((reference) => reference.reference));
    const required: [LimitReference, UnitQuantity | null, string][] = [['$limit', quantities.$limit, 'the amount'], ['$cap', quantities.$cap, 'a cap of'], ['$interval', quantities.$interval, 'an interval of']];
    // A rule still to be decided (a todo) is reported as such; what it will compare is not judged yet.
    const undecided = containsTodo(when);
    for (const [reference, quantity, word] of required) {
      if (quantity && !used.has(reference) && !undecided) {
        problem(RuleSetCode.LimitNotUsed, `${where}: the limit "${parsed.sourceText}" states ${word} ${describeQuantity(quantity)}, and the rule never compares with "${reference}"`, path, {
          hint: reference === '$interval' ? 'e.g. { daysSince: lastDoseDate, lt: $interval }' : reference === '$cap' ? 'e.g. { compare: { fact: requestedDose }, gt: { min: [{ times: [$limit, { fact: bodyWeight }] }, $cap] } }' : 'compare with "$limit", never with a number',
        });
      }
    }
    for (const shape of limitShapeProblems(when)) {
      if (shape.kind === 'condition' && explained.has(criterionKey)) continue;
      problem(shape.kind === 'shape' ? RuleSetCode.LimitShape : RuleSetCode.UnexplainedCondition, `${where}: ${shape.message}`, path, { hint: shape.hint });
    }
    for (const reference of references) {
      const interval = reference.reference === '$interval';
      // "Exceeds" is strict: the maximum itself is allowed (gt), and a dose exactly one interval after
      // the last is too (lt). A reference that shrinks its side (a divisor, as in a dose rate
      // 400 mg × interval ÷ $interval) turns the operator around.
      const wanted = (interval ? 'lt' : 'gt') === 'lt' ? (reference.polarity === 1 ? 'lt' : 'gt') : (reference.polarity === 1 ? 'gt' : 'lt');
      if (reference.negated || reference.side !== 'right' || reference.operator !== wanted) {
        problem(RuleSetCode.LimitDirection, interval
          ? `${where}: the text states an interval, so the exclusion is met when doses come closer together than it; "${reference.negated ? 'not ' : ''}${reference.operator} ${reference.reference}" turns that around`
          : `${where}: the text states a maximum, so the exclusion is met when a value exceeds it; "${reference.negated ? 'not ' : ''}${reference.operator} ${reference.reference}"${reference.side === 'right' ? '' : ' on the left'} turns that around`, path, {
          hint: interval ? 'compare with { lt: $interval }, never under not' : 'put the limit on the right of { gt: … }, never under not: the text allows the maximum itself',
        });
      }
    }
  };
  const exclusions: CompiledExclusion[] = source.exclusions.map((rule, ruleIndex) => {
    const where = `exclusion ${rule.cites.key}`;
    const at: RuleSetPath = ['exclusions', ruleIndex];
    const citation = cite(rule.cites, where, 'exclusions', [...at, 'cites']);
    const textLimits = criteria.get(rule.cites.key)?.limits ?? [];
    // A limit in the text must be declared, so the rule compares with "$limit" (checked against the
    // text) and never with a literal number that a later change of the text would not touch.
    if (!rule.limit) {
      if (textLimits.length > 0) {
        problem(RuleSetCode.LimitUndeclared, `${where}: the text states a limit (${textLimits.map((found) => found.sourceText).join('; ')}) but the rule declares none`, at, {
          expected: textLimits.map(describeLimitParts).join(' | '), hint: 'declare it under limit: and compare the fact with "$limit"',
        });
      }
      for (const key of ['appliesWhen', 'alternatives'] as const) if (rule[key]) problem(RuleSetCode.LimitMismatch, `${where}: ${key} belongs to a declared limit, and the rule declares none`, [...at, key]);
      return { citation, limit: null, parts: [], condition: compile(rule.when, where, [...at, 'when']) };
    }
    const declared = [
      { limit: rule.limit, appliesWhen: rule.appliesWhen, when: rule.when, path: at },
      ...(rule.alternatives ?? []).map((alternative, index) => ({ ...alternative, path: [...at, 'alternatives', index] as RuleSetPath })),
    ];
    const bound = new Set<QuantitativeLimit>();
    const parts = declared.map((part, partIndex) => {
      const parsed = textLimits.find((candidate) => !bound.has(candidate) && sameLimit(part.limit, candidate)) ?? null;
      const limitPath = [...part.path, 'limit'];
      if (!parsed) {
        const inText = textLimits.map(describeLimitParts).join(' | ') || 'no limit';
        problem(RuleSetCode.LimitMismatch, `${where}: the declared limit ${describeLimitParts(part.limit)} is not ${partIndex === 0 ? 'the' : 'a further'} limit in the text: ${inText}`, limitPath, {
          expected: inText, found: describeLimitParts(part.limit),
          hint: textLimits.length > 0 ? `declare ${textLimits.map(describeLimitParts).join(' or ')} (the text: "${textLimits.map((found) => found.sourceText).join('; ')}")` : 'the text states no limit: remove the declaration',
        });
        return null;
      }
      bound.add(parsed);
      if (parsed.alternative !== (partIndex > 0)) {
        problem(RuleSetCode.LimitMismatch, `${where}: "${parsed.sourceText}" is ${parsed.alternative ? 'the alternative part of the limit: declare it under alternatives' : 'the first part of the limit: declare it as limit'}`, limitPath);
      }
      const quantities = limitQuantities(parsed);
      if (!quantities) {
        problem(RuleSetCode.LimitUnsupported, `${where}: the limit "${parsed.sourceText}" has a unit with no UCUM code (${[parsed.unit, ...parsed.per].join('/')})`, limitPath);
        return null;
      }
      checkLimitUse(part.when, parsed, quantities, `${where}${partIndex > 0 ? ` (alternative ${partIndex})` : ''}`, [...part.path, 'when'], rule.cites.key);
      // A limit stated for a circumstance ("when used in combination with nivolumab", "as
      // consolidation") must say, from the member's facts, when it applies; a limit the text states
      // without one may be narrowed only with an interpretation saying why.
      // The qualifier ("initial", "consolidation") and the condition ("on a weekly schedule") are both circumstances the rule must bind.
      const circumstance = [parsed.qualifier ? `only as qualified "${parsed.qualifier}"` : null, parsed.condition].filter((text): text is string => text !== null).join(' and ') || null;
      if (circumstance && !part.appliesWhen) {
        problem(RuleSetCode.LimitConditionUnbound, `${where}: the limit "${parsed.sourceText}" applies ${circumstance}, and the rule does not say when that is`, part.path, {
          expected: circumstance, hint: 'add appliesWhen: an expression over the member\'s facts that holds exactly in that circumstance',
        });
      }
      if (!circumstance && part.appliesWhen && !explained.has(rule.cites.key)) {
        problem(RuleSetCode.UnexplainedCondition, `${where}: the text states the limit "${parsed.sourceText}" without a condition, but the rule applies it only sometimes; an interpretation citing ${rule.cites.key} must say why`, [...part.path, 'appliesWhen'], {
          hint: `add an interpretation with criterionKeys: [${rule.cites.key}]`,
        });
      }
      const applies = part.appliesWhen ? compile(part.appliesWhen, `${where}: when the limit applies`, [...part.path, 'appliesWhen']) : null;
      const exceeded = compile(part.when, where, [...part.path, 'when'], quantities);
      return { limit: parsed, quantities, applies, exceeded };
    });
    // A part declared with other numbers was reported as a mismatch already, naming the text's limit.
    const mismatched = parts.filter((part) => part === null).length;
    for (const missing of textLimits.filter((candidate) => !bound.has(candidate)).slice(mismatched)) {
      problem(RuleSetCode.LimitUndeclared, `${where}: ${missing.alternative ? `a second part "${missing.sourceText}" that no rule would check` : `the limit "${missing.sourceText}" is not declared`}`, at, {
        expected: describeLimitParts(missing), hint: missing.alternative ? 'declare it under alternatives: with its appliesWhen and when' : 'declare it under limit:',
      });
    }
    const complete = parts.filter((part): part is NonNullable<typeof part> => part !== null);
    // The first part of a two-part limit applies when no alternative does ("6 cycles, or 3 cycles
    // for members proceeding to transplant"); an unknown circumstance decides only when both parts agree.
    const alternativesApply = complete.slice(1).map((part) => part.applies).filter((applies): applies is CompiledExpression => applies !== null);
    const compiledParts: CompiledLimitPart[] = complete.map((part, index) => ({
      limit: part.limit, quantities: part.quantities,
      applies: part.applies ?? (index === 0 && alternativesApply.length > 0 ? notOf(anyOf(alternativesApply)) : null),
    }));
    const applicable = complete.map((part, index) => {
      const applies = compiledParts[index]?.applies;
      return applies ? allOf([applies, part.exceeded]) : part.exceeded;
    });
    // Whichever part applies, the exclusion is met when every part is exceeded: 25 months exceed both
    // 24 and 12, so an unknown circumstance must not leave it undecided (Kleene logic alone would).
    // When every part states its own circumstance, one of them must apply too (neither may).
    const everyPartConditional = complete.every((part) => part.applies !== null);
    const everyExceeded = allOf([...complete.map((part) => part.exceeded), ...(everyPartConditional ? [anyOf(complete.map((part) => part.applies as CompiledExpression))] : [])]);
    const condition = anyOf(complete.length > 1 ? [...applicable, everyExceeded] : applicable);
    return { citation, limit: complete[0]?.limit ?? null, parts: compiledParts, condition: complete.length === 1 && !compiledParts[0]?.applies ? (complete[0] as { exceeded: CompiledExpression }).exceeded : condition };
  });

  const continuation = source.continuation
    ? {
        requested: compile(source.continuation.requested, 'continuation request', ['continuation', 'requested']),
        conditions: source.continuation.conditions.map((rule, index) => ({
          citation: cite(rule.cites, `continuation ${rule.cites.key}`, 'continuation', ['continuation', 'conditions', index, 'cites']),
          condition: compile(rule.when, `continuation ${rule.cites.key}`, ['continuation', 'conditions', index, 'when']),
        })),
      }
    : null;

  // The off-label rule decides an exclusion only through the evidence checklist, so it may cite only an
  // exclusion that introduces that checklist and states no limit: a limit cited there would never be checked.
  if (source.offLabel) {
    const cited = criteria.get(source.offLabel.cites.key);
    if (cited && (cited.limits.length > 0 || cited.children.length === 0)) {
      problem(RuleSetCode.BadOffLabel, `off-label exclusion ${cited.key} ${cited.limits.length > 0 ? 'states a limit, which the off-label checklist would never check' : 'has no checklist items under it'}`, ['offLabel', 'cites'], {
        hint: 'cite under offLabel the investigational-use exclusion whose sub-items are the evidence checklist',
      });
    }
    const children = new Set((cited?.children ?? []).map((child) => child.key));
    source.offLabel.checklist.forEach((rule, index) => {
      if (cited && criteria.has(rule.cites.key) && !children.has(rule.cites.key)) {
        problem(RuleSetCode.BadOffLabel, `checklist item ${rule.cites.key} is not a sub-item of the off-label exclusion ${cited.key}`, ['offLabel', 'checklist', index, 'cites']);
      }
    });
  }
  const offLabel = source.offLabel
    ? {
        citation: cite(source.offLabel.cites, 'off-label exclusion', 'offLabel', ['offLabel', 'cites']),
        checklist: source.offLabel.checklist.map((rule, index) => ({
          citation: cite(rule.cites, `checklist ${rule.cites.key}`, 'offLabel checklist', ['offLabel', 'checklist', index, 'cites']),
          condition: compile(rule.when, `checklist ${rule.cites.key}`, ['offLabel', 'checklist', index, 'when'], undefined, true),
        })),
      }
    : null;

  const notices = (source.notices ?? []).map((citation, index) => ({ ...cite(citation, `notice ${citation.key}`, 'notices', ['notices', index]), kind: criteria.get(citation.key)?.kind ?? 'NOTICE' }));

  const authorize = (source.authorize ?? []).flatMap((rule, index): CompiledAuthorization[] => {
    const at: RuleSetPath = ['authorize', index];
    const where = `authorize ${rule.kind} of ${rule.limitOf}`;
    const exclusion = exclusions.find((candidate) => candidate.citation.key === rule.limitOf);
    const wanted = rule.kind === 'MAX_DOSE_PER_PERIOD' ? 'MAX_DOSE' : 'MAX_DURATION';
    if (!exclusion || exclusion.parts.length === 0 || exclusion.parts.some((part) => part.limit.kind !== wanted)) {
      problem(RuleSetCode.BadAuthorization, `${where}: ${rule.limitOf} is not an exclusion with a checked ${wanted === 'MAX_DOSE' ? 'dose' : 'duration'} limit`, [...at, 'limitOf']);
      return [];
    }
    const code = rule.billingCode ? document.codes.find((candidate) => candidate.code === rule.billingCode) : undefined;
    if (rule.billingCode && !code) {
      problem(RuleSetCode.BadAuthorization, `${where}: billing code ${rule.billingCode} is not in this version`, [...at, 'billingCode'], {
        expected: document.codes.map((candidate) => candidate.code).join(' | '), found: rule.billingCode,
      });
    }
    if (rule.billingCode && !rule.billingUnits) problem(RuleSetCode.BadAuthorization, `${where}: billing units of ${rule.billingCode} need a declared rounding (billingUnits: UP, DOWN or NEAREST)`, at, { hint: 'billingUnits: UP authorizes whole units covering the dose' });
    if (rule.kind === 'REMAINING_DURATION' && (rule.dose || rule.billingCode)) problem(RuleSetCode.BadAuthorization, `${where}: a remaining duration has no dose or billing units`, at);
    if (rule.kind === 'MAX_DOSE_PER_PERIOD' && (rule.used || rule.when || rule.otherwiseUsed)) problem(RuleSetCode.BadAuthorization, `${where}: used, when and otherwiseUsed belong to REMAINING_DURATION`, at);
    const parts = exclusion.parts.map((part) => {
      const context = contextFor(where, [...at, rule.dose ? 'dose' : 'limitOf'], part.quantities);
      // A per-kg or per-m2 limit is a dose only with the member's weight or body surface area: 1.8
      // mg/m2 is 3.42 mg for a 1.9 m2 adult and 0.9 mg for a 0.5 m2 child, never "1.8 units".
      const perBody = part.limit.per.filter((per) => per === 'kg' || per === 'm2');
      if (rule.kind === 'MAX_DOSE_PER_PERIOD' && (perBody.length > 0 || part.limit.cap) && !rule.dose) {
        problem(RuleSetCode.BadAuthorization, `${where}: the limit "${part.limit.sourceText}" is per ${perBody.join(' and ') || 'dose with a cap'}, so the authorized dose must be computed from the member's facts`, at, {
          hint: perBody.includes('m2') ? 'dose: { times: [$limit, { fact: bodySurfaceArea }] }' : part.limit.cap ? 'dose: { min: [{ times: [$limit, { fact: bodyWeight }] }, $cap] }' : 'dose: { times: [$limit, { fact: bodyWeight }] }',
        });
      }
      const amount = compileTerm(rule.dose ?? '$limit', context);
      if (rule.dose) {
        const uses = limitReferences({ compare: rule.dose, le: '$limit' }).map((reference) => reference.reference);
        if (!uses.includes('$limit')) problem(RuleSetCode.BadAuthorization, `${where}: the dose never uses "$limit"`, [...at, 'dose']);
        if (part.limit.cap && !uses.includes('$cap')) problem(RuleSetCode.BadAuthorization, `${where}: the limit has a cap of ${part.limit.cap.amount} ${part.limit.cap.unit}, and the dose never uses "$cap"`, [...at, 'dose'], { hint: 'dose: { min: [..., $cap] }' });
      }
      const expected = [ucumOfWord(part.limit.unit), ...part.limit.per.filter((per) => per !== 'kg' && per !== 'm2').map(ucumOfWord)].join('/');
      if (!('factor' in conversion(amount.unit, expected))) {
        problem(RuleSetCode.UnitMismatch, `${where}: the authorized dose ${amount.text} is in ${amount.unit}, not in ${expected}`, [...at, 'dose'], { expected, found: amount.unit });
      }
      return { limit: part.limit, applies: part.applies, amount, perUnit: expected };
    });
    const termOf = (keys: readonly string[] | undefined, field: string): CompiledTerm | null => {
      if (!keys || keys.length === 0) return null;
      const term = compileTerm({ plus: keys.map((key) => ({ fact: key })) }, contextFor(where, [...at, field]));
      const unit = parts[0] ? ucumOfWord(parts[0].limit.unit) ?? '?' : '?';
      if (!('factor' in conversion(term.unit, unit))) problem(RuleSetCode.BadAuthorization, `${where}: ${field} (${keys.join(' + ')}) is in ${term.unit}, the limit in ${unit}`, [...at, field], { expected: unit, found: term.unit });
      return term;
    };
    const used = termOf(rule.used, 'used');
    const otherwiseUsed = termOf(rule.otherwiseUsed, 'otherwiseUsed');
    // What is counted must be what the exclusion counts: "used: [requestedCycles]" alone would forget prior cycles.
    const counted = (source.exclusions.find((candidate) => candidate.cites.key === rule.limitOf)?.when);
    const summed = counted && 'sum' in counted ? [...counted.sum].sort() : null;
    if (rule.kind === 'REMAINING_DURATION' && summed && rule.used && JSON.stringify([...rule.used].sort()) !== JSON.stringify(summed)) {
      problem(RuleSetCode.BadAuthorization, `${where}: used (${rule.used.join(' + ')}) is not what the exclusion counts (${summed.join(' + ')})`, [...at, 'used'], { expected: summed.join(' + '), found: rule.used.join(' + ') });
    }
    if (rule.when && !rule.otherwiseUsed) problem(RuleSetCode.BadAuthorization, `${where}: with when, otherwiseUsed must say what counts when it does not hold (nothing counted would authorize the whole limit)`, [...at, 'when']);
    if (rule.kind === 'REMAINING_DURATION' && !used) problem(RuleSetCode.BadAuthorization, `${where}: a remaining duration needs used: the facts counted against the limit`, at);
    const usedWhen = rule.when ? compile(rule.when, `${where}: when the used facts count`, [...at, 'when']) : null;
    const billingUnit = code?.billingUnit ? quantityOf(code.billingUnit) : null;
    const billing = rule.billingCode && code?.billingUnit && rule.billingUnits && billingUnit ? { code: code.code, unit: billingUnit, rounding: rule.billingUnits } : null;
    if (rule.billingCode && code?.billingUnit && !billingUnit) problem(RuleSetCode.BadAuthorization, `${where}: the billing unit "${code.billingUnit.text}" of ${code.code} has no UCUM code`, [...at, 'billingCode']);
    if (billing) {
      for (const part of parts) {
        const perBilling = [billing.unit.unit, ...part.perUnit.split('/').slice(1)].join('/');
        if (!('factor' in conversion(part.amount.unit, perBilling))) problem(RuleSetCode.BadAuthorization, `${where}: a dose in ${part.amount.unit} cannot be counted in units of ${code?.billingUnit?.text} of ${billing.code}`, [...at, 'billingCode']);
      }
    }
    const facts = [...new Set([
      ...parts.flatMap((part) => [...part.amount.facts, ...(part.applies?.facts ?? [])]),
      ...(used?.facts ?? []), ...(otherwiseUsed?.facts ?? []), ...(usedWhen?.facts ?? []),
    ])];
    const text = rule.kind === 'MAX_DOSE_PER_PERIOD'
      ? parts.map((part) => part.amount.text).join(' | ')
      : parts.map((part) => `${part.amount.text} − (${used?.text ?? '0'})`).join(' | ');
    return [{
      kind: rule.kind, citation: exclusion.citation, parts, used, usedWhen, otherwiseUsed,
      billing,
      facts, text,
    }];
  });

  // A criterion decided by a constant decides nothing from the request: a person must say why.
  const decidedBy: [RuleSetPath, Citation, Expression][] = [
    ...source.indications.flatMap((rule, i) => rule.scenarios.map((scenario, j): [RuleSetPath, Citation, Expression] => [['indications', i, 'scenarios', j, 'when'], scenario.cites, scenario.when])),
    ...source.contraindications.map((rule, i): [RuleSetPath, Citation, Expression] => [['contraindications', i, 'when'], rule.cites, rule.when]),
    ...source.exclusions.map((rule, i): [RuleSetPath, Citation, Expression] => [['exclusions', i, 'when'], rule.cites, rule.when]),
    ...(source.continuation?.conditions ?? []).map((rule, i): [RuleSetPath, Citation, Expression] => [['continuation', 'conditions', i, 'when'], rule.cites, rule.when]),
    ...(source.offLabel?.checklist ?? []).map((rule, i): [RuleSetPath, Citation, Expression] => [['offLabel', 'checklist', i, 'when'], rule.cites, rule.when]),
  ];
  for (const [path, citation, when] of decidedBy) {
    if (containsConstant(when) && !explained.has(citation.key)) {
      problem(RuleSetCode.UnexplainedConstant, `${citation.key} is decided in part by a constant, and no interpretation cites it to say why`, path, {
        hint: `add an interpretation with criterionKeys: [${citation.key}] and its rationale`,
      });
    }
  }
  // When a stated limit applies is read from the member's facts: a constant would switch the limit
  // off for everyone (or on where the text does not state it), whatever an interpretation says.
  source.exclusions.forEach((rule, index) => {
    const conditions: [RuleSetPath, Expression][] = [
      ...(rule.appliesWhen ? [[['exclusions', index, 'appliesWhen'], rule.appliesWhen] as [RuleSetPath, Expression]] : []),
      ...(rule.alternatives ?? []).map((alternative, part): [RuleSetPath, Expression] => [['exclusions', index, 'alternatives', part, 'appliesWhen'], alternative.appliesWhen]),
    ];
    for (const [path, expression] of conditions) {
      if (containsConstant(expression)) problem(RuleSetCode.UnexplainedConstant, `exclusion ${rule.cites.key}: when its limit applies is decided by a constant; it must be read from the member's facts`, path);
    }
  });
  (source.authorize ?? []).forEach((rule, index) => {
    if (rule.when && containsConstant(rule.when)) problem(RuleSetCode.UnexplainedConstant, `authorize ${rule.kind} of ${rule.limitOf}: what counts against the limit is decided by a constant; it must be read from the member's facts`, ['authorize', index, 'when']);
  });
  // Who a population admits is read from the member's facts; a constant there would admit anyone.
  source.indications.forEach((rule, index) => {
    if (containsConstant(rule.population.when)) {
      problem(RuleSetCode.UnexplainedConstant, `the population of ${rule.section} is decided by a constant: a population must be read from the member's facts`, ['indications', index, 'population', 'when']);
    }
  });
  source.interpretations.forEach((interpretation, index) => {
    for (const key of interpretation.criterionKeys) {
      if (!criteria.has(key)) problem(RuleSetCode.UnknownCriterion, `interpretation cites ${key}, which is not in this version`, ['interpretations', index, 'criterionKeys']);
    }
  });
  for (const criterion of criteria.values()) {
    if (!covered.has(criterion.key)) {
      problem(RuleSetCode.UncoveredCriterion, `criterion ${criterion.key} (${criterion.kind}) has no rule: "${criterion.text.slice(0, 60)}…"`, [], {
        expected: criterion.text, hint: `add a rule under ${RULE_PLACES[criterion.kind][0]} citing { key: ${criterion.key}, text: "${criterion.text}" }`,
      });
    }
  }

  problems.sort((a, b) => a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
  // Two faults of one kind at one node read as one problem.
  const seen = new Set<string>();
  const distinct = problems.filter((found) => {
    const key = `${found.code}\u0000${found.message}\u0000${found.path.join('/')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  problems.splice(0, problems.length, ...distinct);
  if (problems.length > 0) return { ruleSet: null, problems };
  return {
    problems,
    ruleSet: {
      name: source.name,
      guidelineNumber: source.guideline,
      facts: source.facts,
      evidenceFields: source.evidence ?? [],
      slotOf,
      indications,
      contraindications,
      exclusions,
      continuation,
      offLabel,
      notices,
      authorize,
      derived: derived.map(({ key, text, get }) => ({ key, text, get })),
      linesOfBusiness: new Map(document.linesOfBusiness.map((line) => [line.code, { label: line.label, applicable: line.applicable, span: line.span }])),
      // Formulas the rule set chose are interpretations too: the determination shows them.
      interpretations: [...source.interpretations, ...derived.map((fact) => fact.interpretation), ...billingInterpretations(source)],
    },
  };
}

/** "$limit", "$cap" and "$interval" of a parsed limit, each a UCUM quantity; null when a unit has no UCUM code. */
function limitQuantities(limit: QuantitativeLimit): LimitQuantities | null {
  const amount = limitAmount(limit);
  const cap = limit.cap ? quantityOf(limit.cap) : null;
  const interval = limit.interval ? quantityOf(limit.interval) : null;
  if (!amount || (limit.cap && !cap) || (limit.interval && !interval)) return null;
  return { $limit: amount, $cap: cap, $interval: interval };
}

const BSA_FORMULA = {
  MOSTELLER: { name: 'Mosteller', text: '√(height cm × weight kg ÷ 3600)', compute: (cm: number, kg: number) => Math.sqrt((cm * kg) / 3600) },
  DU_BOIS: { name: 'Du Bois', text: '0.007184 × weight kg^0.425 × height cm^0.725', compute: (cm: number, kg: number) => 0.007184 * kg ** 0.425 * cm ** 0.725 },
} as const;

/**
 * A derived fact: body surface area from height and weight by the formula the rule set declares,
 * in m2 rounded to 0.01 m2 (how BSA is charted), so that a dose from it is an exact decimal.
 */
function deriveFact(definition: DerivedFact, sources: ReadonlyMap<string, FactSource>, fail: (message: string, field: string) => void): { source: FactSource; text: string; interpretation: InterpretationSource } | null {
  const formula = BSA_FORMULA[definition.formula];
  const input = (key: string, field: string, to: string, what: string): { get: FactSource['get']; factor: number } | null => {
    const found = sources.get(key);
    if (!found || (found.definition.type !== 'number' && found.definition.type !== 'integer')) {
      fail(`${what} "${key}" is not a number fact`, field);
      return null;
    }
    const converted = conversion(found.definition.unit ?? '1', to);
    if (!('factor' in converted)) {
      fail(`${what} "${key}" is in ${found.definition.unit ?? 'no unit'}, which is not a ${what}`, field);
      return null;
    }
    if (found.definition.minimum === undefined || found.definition.minimum <= 0) {
      fail(`${what} "${key}" must declare a minimum above 0 (a body surface area from a zero or negative ${what} means nothing)`, field);
      return null;
    }
    return { get: found.get, factor: toNumber(converted.factor) };
  };
  const height = input(definition.height, 'height', 'cm', 'height');
  const weight = input(definition.weight, 'weight', 'kg', 'weight');
  if (!height || !weight) return null;
  const get = (values: EvaluationInput): number | undefined => {
    const cm = height.get(values);
    const kg = weight.get(values);
    if (typeof cm !== 'number' || typeof kg !== 'number') return undefined;
    const area = Math.round(formula.compute(cm * height.factor, kg * weight.factor) * 100) / 100;
    return Number.isFinite(area) && area > 0 ? area : undefined;
  };
  const text = `${definition.key} = ${formula.name} ${formula.text} of ${definition.height} and ${definition.weight}, rounded to 0.01 m2`;
  return {
    source: { get, facts: [definition.height, definition.weight], definition: { key: definition.key, type: 'number', unit: 'm2', description: definition.description, question: `What are the member's height (${definition.height}) and weight (${definition.weight})?` } },
    text,
    interpretation: { topic: `Body surface area (${definition.key})`, decision: text, rationale: definition.rationale, criterionKeys: [] },
  };
}

function billingInterpretations(source: RuleSetSource): InterpretationSource[] {
  return (source.authorize ?? []).flatMap((rule) => rule.billingCode && rule.billingUnits
    ? [{
        topic: `Billing units of ${rule.billingCode}`,
        decision: `The authorized dose divided by the unit of ${rule.billingCode}, rounded ${rule.billingUnits.toLowerCase()} to a whole billing unit.`,
        rationale: rule.billingUnits === 'UP' ? 'A dose is dispensed in whole billing units; rounding down would authorize less than the maximum dose the text allows.' : 'Declared by the rule set.',
        criterionKeys: [rule.limitOf],
      }]
    : []);
}
