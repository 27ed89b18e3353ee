import type { SourceSpan } from '../domain/document.ts';
import type { CompiledRule, CompiledRuleSet, CitedText } from './compile-rule-set.ts';
import type { EvaluationInput } from './compile-expression.ts';
import type { Scalar } from './expression.ts';
import type { CriterionResult, Truth } from './truth.ts';
import { and, FALSE, or, resultOf, TRUE, UNKNOWN } from './truth.ts';

export type Outcome = 'APPROVED' | 'DENIED' | 'PENDED' | 'INCOMPLETE' | 'NOT_APPLICABLE';

export type Role = 'line-of-business' | 'contraindication' | 'exclusion' | 'population' | 'indication' | 'continuation-request' | 'continuation' | 'off-label' | 'evidence-checklist';

/** One evaluated rule: the trace entry an explanation is rendered from. */
export interface TraceEntry {
  readonly role: Role;
  readonly citation: CitedText;
  readonly result: CriterionResult;
  readonly deciding: boolean;
  /** The rule as readable text, e.g. "requestedDosePerDayMcg > 28". */
  readonly rule: string;
  readonly factsRead: readonly string[];
  readonly missingFacts: readonly string[];
}

export interface ChecklistEntry {
  readonly citation: CitedText;
  readonly result: CriterionResult;
  readonly rule: string;
  /** How many evidence items met this item of the checklist. */
  readonly itemsMeeting: number;
  readonly itemsChecked: number;
}

export interface AuthorizedLimit {
  readonly kind: string;
  readonly amount: number;
  readonly unit: string;
  readonly billingUnits: number | null;
  readonly billingCode: string | null;
  readonly citation: CitedText;
  readonly basis: string;
}

export interface Decision {
  readonly outcome: Outcome;
  /** Deciding entries first, then the rest in rule-set order. */
  readonly trace: readonly TraceEntry[];
  readonly missingFacts: readonly string[];
  readonly checklist: readonly ChecklistEntry[];
  readonly authorizedLimits: readonly AuthorizedLimit[];
  readonly notices: readonly (CitedText & { readonly kind: string })[];
  /** The facts the evaluated rules read, with their values (only those; nothing else is kept). */
  readonly factsUsed: readonly { readonly key: string; readonly value: Scalar }[];
}

export interface CoreRequest {
  /** UTC epoch days. */
  readonly dateOfService: number;
  readonly lineOfBusiness: string;
  /** Values by the rule set's fact slots; undefined = not provided. */
  readonly values: readonly (Scalar | undefined)[];
  readonly evidence: readonly Readonly<Record<string, Scalar | undefined>>[];
}

interface Evaluated {
  readonly role: Role;
  readonly rule: CompiledRule;
  readonly truth: Truth | null;
}

const ROLE_ORDER: Record<Role, number> = {
  'line-of-business': 0, contraindication: 1, exclusion: 2, 'off-label': 3, population: 4, indication: 5, 'continuation-request': 6, continuation: 7, 'evidence-checklist': 8,
};

/**
 * Decides one request against a compiled rule set. Pure and deterministic: the date of service is
 * an input; a missing fact makes the rules that need it unknown, and unknown never approves.
 */
export function decide(ruleSet: CompiledRuleSet, request: CoreRequest): Decision {
  const input: EvaluationInput = { values: request.values, dateOfService: request.dateOfService };
  const line = ruleSet.linesOfBusiness.get(request.lineOfBusiness);
  if (!line?.applicable) return notApplicable(request.lineOfBusiness, line);

  const run = (role: Role, rule: CompiledRule): Evaluated => ({ role, rule, truth: rule.condition.evaluate(input) });
  const contraindications = ruleSet.contraindications.map((rule) => run('contraindication', rule));
  const exclusions = ruleSet.exclusions.map((rule) => run('exclusion', rule));
  const sections = ruleSet.indications.map((indication) => {
    const population = run('population', indication.population);
    const scenarios = indication.scenarios.map((rule) => run('indication', rule));
    return { population, scenarios, truth: and([population.truth as Truth, or(scenarios.map((s) => s.truth as Truth))]) };
  });
  const indication = or(sections.map((section) => section.truth));
  const requested = ruleSet.continuation ? run('continuation-request', { citation: { key: 'CONTINUATION', text: 'Continuation requests for a not-approvable medication', span: null }, condition: ruleSet.continuation.requested }) : null;
  const conditions = requested && requested.truth !== FALSE ? (ruleSet.continuation?.conditions ?? []).map((rule) => run('continuation', rule)) : [];
  const exemption = requested ? and([requested.truth as Truth, and(conditions.map((c) => c.truth as Truth))]) : FALSE;
  const coverage = or([indication, exemption]);

  const safety = [...contraindications, ...exclusions];
  const denying = safety.filter((entry) => entry.truth === TRUE);
  const unknownSafety = safety.filter((entry) => entry.truth === UNKNOWN);
  const coverageEntries: Evaluated[] = [
    ...sections.flatMap((section) => [section.population, ...section.scenarios]),
    ...(requested ? [requested] : []),
    ...conditions,
  ];

  let outcome: Outcome;
  let deciding: Evaluated[];
  let checklist: ChecklistEntry[] = [];
  let offLabelEntry: Evaluated | null = null;
  if (denying.length > 0) {
    outcome = 'DENIED';
    deciding = denying;
  } else if (coverage === FALSE) {
    const offLabel = evaluateOffLabel(ruleSet, request, input);
    checklist = offLabel.checklist;
    if (offLabel.entry) offLabelEntry = offLabel.entry;
    outcome = offLabel.outcome;
    deciding = offLabel.entry ? [offLabel.entry] : coverageEntries.filter((entry) => entry.truth === FALSE);
    if (outcome === 'PENDED') deciding.push(...unknownSafety);
  } else if (coverage === UNKNOWN || unknownSafety.length > 0) {
    outcome = 'INCOMPLETE';
    deciding = [...unknownSafety, ...(coverage === UNKNOWN ? coverageEntries.filter((entry) => entry.truth === UNKNOWN) : [])];
  } else {
    outcome = 'APPROVED';
    deciding = coveringPath(sections, requested, conditions, exemption, indication);
  }

  const all = [...contraindications, ...exclusions, ...(offLabelEntry ? [offLabelEntry] : []), ...coverageEntries];
  const decidingSet = new Set(deciding);
  const trace = all
    .map((entry) => toTrace(entry, decidingSet.has(entry), request.values, ruleSet.slotOf))
    .sort((a, b) => Number(b.deciding) - Number(a.deciding) || ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  const missingFacts = outcome === 'INCOMPLETE' || outcome === 'PENDED' ? [...new Set(trace.filter((t) => t.deciding).flatMap((t) => t.missingFacts))] : [];
  return {
    outcome,
    trace,
    missingFacts,
    checklist,
    authorizedLimits: outcome === 'APPROVED' ? authorizedLimits(ruleSet, request) : [],
    notices: outcome === 'APPROVED' || outcome === 'PENDED' ? ruleSet.notices : [],
    factsUsed: factsUsed(trace, request.values, ruleSet.slotOf),
  };
}

function coveringPath(
  sections: readonly { population: Evaluated; scenarios: readonly Evaluated[]; truth: Truth }[],
  requested: Evaluated | null,
  conditions: readonly Evaluated[],
  exemption: Truth,
  indication: Truth,
): Evaluated[] {
  if (indication === TRUE) {
    const section = sections.find((candidate) => candidate.truth === TRUE);
    return section ? [section.population, ...section.scenarios.filter((s) => s.truth === TRUE)] : [];
  }
  return exemption === TRUE && requested ? [requested, ...conditions] : [];
}

function evaluateOffLabel(ruleSet: CompiledRuleSet, request: CoreRequest, input: EvaluationInput): { outcome: Outcome; entry: Evaluated | null; checklist: ChecklistEntry[] } {
  const offLabel = ruleSet.offLabel;
  if (!offLabel) return { outcome: 'DENIED', entry: null, checklist: [] };
  const perItem = request.evidence.map((item) => offLabel.checklist.map((rule) => rule.condition.evaluate({ ...input, item })));
  const sufficient: Truth = request.evidence.length === 0 ? UNKNOWN : or(perItem.map((results) => and(results)));
  const checklist = offLabel.checklist.map((rule, index): ChecklistEntry => {
    const results = perItem.map((results) => results[index] as Truth);
    return {
      citation: rule.citation,
      rule: rule.condition.text,
      result: results.length === 0 ? 'UNKNOWN' : resultOf(or(results)),
      itemsMeeting: results.filter((result) => result === TRUE).length,
      itemsChecked: results.length,
    };
  });
  // The exclusion applies when the evidence is insufficient: TRUE means excluded.
  const excluded: Truth = sufficient === TRUE ? FALSE : sufficient === FALSE ? TRUE : UNKNOWN;
  const entry: Evaluated = { role: 'off-label', rule: { citation: offLabel.citation, condition: { evaluate: () => excluded, facts: [], text: 'no covered indication applies, so the use is off-label; evidence is checked against the checklist' } }, truth: excluded };
  return { outcome: excluded === TRUE ? 'DENIED' : 'PENDED', entry, checklist };
}

function toTrace(entry: Evaluated, deciding: boolean, values: CoreRequest['values'], slotOf: ReadonlyMap<string, number>): TraceEntry {
  const facts = entry.rule.condition.facts;
  return {
    role: entry.role,
    citation: entry.rule.citation,
    result: entry.truth === null ? 'NOT_EVALUATED' : resultOf(entry.truth),
    deciding,
    rule: entry.rule.condition.text,
    factsRead: facts,
    missingFacts: facts.filter((key) => values[slotOf.get(key) ?? -1] === undefined),
  };
}

function factsUsed(trace: readonly TraceEntry[], values: CoreRequest['values'], slotOf: ReadonlyMap<string, number>): { key: string; value: Scalar }[] {
  const keys = [...new Set(trace.flatMap((entry) => entry.factsRead))].sort();
  return keys.flatMap((key) => {
    const value = values[slotOf.get(key) ?? -1];
    return value === undefined ? [] : [{ key, value }];
  });
}

function authorizedLimits(ruleSet: CompiledRuleSet, request: CoreRequest): AuthorizedLimit[] {
  return ruleSet.authorize.flatMap((rule): AuthorizedLimit[] => {
    const unit = [rule.limit.unit, ...rule.limit.per].join('/');
    if (rule.kind === 'MAX_DOSE_PER_PERIOD') {
      const billingUnits = rule.billingUnit && rule.billingUnit.unit === rule.limit.unit ? rule.limit.amount / rule.billingUnit.amount : null;
      return [{ kind: rule.kind, amount: rule.limit.amount, unit, billingUnits, billingCode: rule.billingCode ?? null, citation: rule.citation, basis: `the limit in the text: ${rule.limit.sourceText}` }];
    }
    const used = (rule.used ?? []).map((key) => request.values[ruleSet.slotOf.get(key) ?? -1]);
    if (used.some((value) => typeof value !== 'number')) return [];
    const total = (used as number[]).reduce((sum, value) => sum + value, 0);
    return [{
      kind: rule.kind, amount: Math.max(0, rule.limit.amount - total), unit, billingUnits: null, billingCode: null, citation: rule.citation,
      basis: `${rule.limit.amount} ${unit}${rule.limit.qualifier ? ` (${rule.limit.qualifier})` : ''} minus ${total} used or requested (${(rule.used ?? []).join(' + ')})`,
    }];
  });
}

function notApplicable(code: string, line: { label: string; applicable: boolean; span: SourceSpan } | undefined): Decision {
  const citation: CitedText = { key: `LOB-${code}`, text: line?.label ?? code, span: line?.span ?? null };
  return {
    outcome: 'NOT_APPLICABLE',
    trace: [{ role: 'line-of-business', citation, result: 'NOT_MET', deciding: true, rule: line ? `${line.label} is not checked under Applicable Lines of Business` : `${code} is not listed under Applicable Lines of Business`, factsRead: [], missingFacts: [] }],
    missingFacts: [],
    checklist: [],
    authorizedLimits: [],
    notices: [],
    factsUsed: [],
  };
}
