import type { CriterionKind, GuidelineDocument, QuantitativeLimit, SourceSpan } from '../domain/document.ts';
import { formatYearMonth } from '../domain/document.ts';
import { allCriteria } from '../domain/criteria.ts';
import { populationKey } from '../domain/population-key.ts';
import type { CompiledExpression } from './compile-expression.ts';
import { compileExpression } from './compile-expression.ts';
import type { Expression } from './expression.ts';
import type { AuthorizationRule, Citation, FactDefinition, InterpretationSource, LimitDeclaration, RuleSetSource } from './rule-set.ts';
import { containsConstant, describeLimitParts, factsComparedWithLimit, firstWordDifference, limitComparisons, limitUnit, sameLimit, uncheckableParts } from './limit-checks.ts';

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

export interface CompiledExclusion extends CompiledRule {
  readonly limit: QuantitativeLimit | null;
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
  readonly authorize: readonly (AuthorizationRule & {
    readonly limit: QuantitativeLimit;
    readonly citation: CitedText;
    readonly billingUnit: { amount: number; unit: string } | null;
    readonly condition: CompiledExpression | null;
  })[];
  readonly linesOfBusiness: ReadonlyMap<string, { readonly label: string; readonly applicable: boolean; readonly span: SourceSpan }>;
  readonly interpretations: readonly InterpretationSource[];
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
  const compile = (expression: Expression, where: string, path: RuleSetPath, limitAmount?: number): CompiledExpression =>
    compileExpression(expression, {
      slotOf: (key) => slotOf.get(key),
      factOf: (key) => factByKey.get(key),
      fieldOf: (key) => fieldByKey.get(key),
      limitAmount,
      error: (message) => problem(message.startsWith('TODO: ') ? RuleSetCode.Todo : RuleSetCode.Expression, `${where}: ${message}`, path),
    });

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

  const exclusions: CompiledExclusion[] = source.exclusions.map((rule, ruleIndex) => {
    const where = `exclusion ${rule.cites.key}`;
    const at: RuleSetPath = ['exclusions', ruleIndex];
    const citation = cite(rule.cites, where, 'exclusions', [...at, 'cites']);
    let limit: QuantitativeLimit | null = null;
    const textLimits = criteria.get(rule.cites.key)?.limits ?? [];
    // A limit in the text must be declared, so the rule compares with "$limit" (checked against the
    // text) and never with a literal number that a later change of the text would not touch.
    if (!rule.limit && textLimits.length > 0) {
      problem(RuleSetCode.LimitUndeclared, `${where}: the text states a limit (${textLimits.map((found) => found.sourceText).join('; ')}) but the rule declares none`, at, {
        expected: textLimits.map(describeLimitParts).join(' | '), hint: 'declare it under limit: and compare the fact with "$limit"',
      });
    }
    if (rule.limit) {
      const parsed = criteria.get(rule.cites.key)?.limits ?? [];
      limit = parsed.find((candidate) => sameLimit(rule.limit as LimitDeclaration, candidate)) ?? null;
      // A second part ("…, or 12 months when used as adjuvant therapy") would go unchecked if only the first were bound.
      const unsupported = limit ? [...uncheckableParts(limit), ...textLimits.filter((part) => part !== limit && part.alternative).map((part) => `a second part "${part.sourceText}" that no rule would check`)] : [];
      if (limit && unsupported.length > 0) {
        problem(RuleSetCode.LimitUnsupported, `${where}: the limit "${limit.sourceText}" also has ${unsupported.join(', ')}; a rule can compare only the amount, so it cannot decide this limit`, [...at, 'limit']);
        limit = null;
      } else if (!limit) {
        const declared = describeLimitParts(rule.limit);
        const inText = parsed.map(describeLimitParts).join(' | ') || 'no limit';
        problem(RuleSetCode.LimitMismatch, `${where}: the declared limit ${declared} is not the limit in the text: ${inText}`, [...at, 'limit'], {
          expected: inText, found: declared, hint: parsed.length > 0 ? `declare ${parsed.map(describeLimitParts).join(' or ')} (the text: "${parsed.map((found) => found.sourceText).join('; ')}")` : 'the text states no limit: remove the declaration',
        });
      } else {
        const compared = factsComparedWithLimit(rule.when);
        // A declared limit must be what the rule compares with: a literal number would escape the text check.
        if (compared.length === 0) problem(RuleSetCode.LimitNotUsed, `${where}: declares a limit but never compares a fact with "$limit"`, [...at, 'when'], { hint: 'compare with "$limit", never with a number' });
        for (const comparison of limitComparisons(rule.when)) {
          if ((comparison.operator !== 'gt' && comparison.operator !== 'ge') || comparison.negated) {
            problem(RuleSetCode.LimitDirection, `${where}: the text states a maximum, so the exclusion is met when a value exceeds it; "${comparison.negated ? 'not ' : ''}${comparison.operator} $limit" turns that around`, [...at, 'when'], {
              hint: 'compare with { gt: $limit } (or ge when the text says "at or above"), never under not',
            });
          }
        }
        for (const key of compared) {
          const unit = factByKey.get(key)?.unit;
          if (unit !== limitUnit(limit)) problem(RuleSetCode.LimitUnitMismatch, `${where}: fact "${key}" is in ${unit ?? 'no unit'}, the limit in ${limitUnit(limit)}`, [...at, 'when'], { expected: limitUnit(limit), found: unit ?? 'no unit' });
        }
      }
    }
    return { citation, limit, condition: compile(rule.when, where, [...at, 'when'], rule.limit?.amount) };
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
          condition: compile(rule.when, `checklist ${rule.cites.key}`, ['offLabel', 'checklist', index, 'when']),
        })),
      }
    : null;

  const notices = (source.notices ?? []).map((citation, index) => ({ ...cite(citation, `notice ${citation.key}`, 'notices', ['notices', index]), kind: criteria.get(citation.key)?.kind ?? 'NOTICE' }));

  const authorize = (source.authorize ?? []).flatMap((rule, index) => {
    const at: RuleSetPath = ['authorize', index];
    const exclusion = exclusions.find((candidate) => candidate.citation.key === rule.limitOf);
    if (!exclusion?.limit) {
      problem(RuleSetCode.BadAuthorization, `authorize ${rule.kind}: ${rule.limitOf} is not an exclusion with a checked limit`, [...at, 'limitOf']);
      return [];
    }
    const code = rule.billingCode ? document.codes.find((candidate) => candidate.code === rule.billingCode) : undefined;
    if (rule.billingCode && !code) {
      problem(RuleSetCode.BadAuthorization, `authorize ${rule.kind}: billing code ${rule.billingCode} is not in this version`, [...at, 'billingCode'], {
        expected: document.codes.map((candidate) => candidate.code).join(' | '), found: rule.billingCode,
      });
    }
    for (const key of [...(rule.used ?? []), ...(rule.otherwiseUsed ?? [])]) {
      const unit = factByKey.get(key)?.unit;
      if (unit !== limitUnit(exclusion.limit)) problem(RuleSetCode.BadAuthorization, `authorize ${rule.kind}: fact "${key}" is ${factByKey.has(key) ? `in ${unit ?? 'no unit'}` : 'not declared'}, the limit in ${limitUnit(exclusion.limit)}`, at);
    }
    return [{
      ...rule, limit: exclusion.limit, citation: exclusion.citation,
      billingUnit: code?.billingUnit ? { amount: code.billingUnit.amount, unit: code.billingUnit.unit } : null,
      condition: rule.when ? compile(rule.when, `authorize ${rule.kind}`, [...at, 'when']) : null,
    }];
  });

  // A criterion decided by a constant decides nothing from the request: a person must say why.
  const explained = new Set(source.interpretations.flatMap((interpretation) => interpretation.criterionKeys));
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
      linesOfBusiness: new Map(document.linesOfBusiness.map((line) => [line.code, { label: line.label, applicable: line.applicable, span: line.span }])),
      interpretations: source.interpretations,
    },
  };
}
