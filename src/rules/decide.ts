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

const ROLE_ORDER: Record<Role, number> = {
  'line-of-business': 0, contraindication: 1, exclusion: 2, 'off-label': 3, population: 4, indication: 5, 'continuation-request': 6, continuation: 7, 'evidence-checklist': 8,
};

/** One rule of the plan: evaluated in this order, results kept by index. */
interface PlannedRule {
  readonly role: Role;
  readonly rule: CompiledRule;
}

/** The rule set laid out flat, once per rule set, so an evaluation is loops over arrays. */
interface Plan {
  readonly rules: readonly PlannedRule[];
  /** Indexes of contraindications and exclusions. */
  readonly safety: readonly number[];
  /** Per disease section: population index and scenario indexes. */
  readonly sections: readonly { readonly population: number; readonly scenarios: readonly number[] }[];
  /** Index of the continuation-request rule, -1 without one. */
  readonly requested: number;
  readonly conditions: readonly number[];
}

const NOT_EVALUATED = 3;
const CONTINUATION_CITATION: CitedText = { key: 'CONTINUATION', text: 'Continuation requests for a not-approvable medication', span: null };
const plans = new WeakMap<CompiledRuleSet, Plan>();

function planOf(ruleSet: CompiledRuleSet): Plan {
  const cached = plans.get(ruleSet);
  if (cached) return cached;
  const rules: PlannedRule[] = [];
  const add = (role: Role, rule: CompiledRule): number => rules.push({ role, rule }) - 1;
  const safety = [...ruleSet.contraindications.map((rule) => add('contraindication', rule)), ...ruleSet.exclusions.map((rule) => add('exclusion', rule))];
  const sections = ruleSet.indications.map((indication) => ({
    population: add('population', indication.population),
    scenarios: indication.scenarios.map((rule) => add('indication', rule)),
  }));
  const requested = ruleSet.continuation ? add('continuation-request', { citation: CONTINUATION_CITATION, condition: ruleSet.continuation.requested }) : -1;
  const conditions = (ruleSet.continuation?.conditions ?? []).map((rule) => add('continuation', rule));
  const plan = { rules, safety, sections, requested, conditions };
  plans.set(ruleSet, plan);
  return plan;
}

/**
 * The compact result of an evaluation: the outcome, each planned rule's truth value (3 = not
 * evaluated) and whether it decided. Everything a trace shows is derived from it.
 */
export interface Evaluation {
  readonly outcome: Outcome;
  readonly results: Uint8Array;
  readonly deciding: Uint8Array;
  /** Present when the request was off-label: the exclusion's value and the checklist per evidence item. */
  readonly offLabel: { readonly excluded: Truth; readonly perItem: readonly (readonly Truth[])[] } | null;
  /** Set for NOT_APPLICABLE. */
  readonly lineOfBusiness: string | null;
}

/**
 * Decides one request: the hot path. Pure and deterministic; the date of service is an input; a
 * missing fact makes the rules that need it unknown, and unknown never approves. It allocates two
 * small typed arrays per call; the readable trace is built separately by `traceOf`.
 */
export function evaluate(ruleSet: CompiledRuleSet, request: CoreRequest): Evaluation {
  const plan = planOf(ruleSet);
  const count = plan.rules.length;
  const results = new Uint8Array(count).fill(NOT_EVALUATED);
  const deciding = new Uint8Array(count);
  const line = ruleSet.linesOfBusiness.get(request.lineOfBusiness);
  if (!line?.applicable) return { outcome: 'NOT_APPLICABLE', results, deciding, offLabel: null, lineOfBusiness: request.lineOfBusiness };

  const input: EvaluationInput = { values: request.values, dateOfService: request.dateOfService };
  const run = (index: number): Truth => {
    const value = (plan.rules[index] as PlannedRule).rule.condition.evaluate(input);
    results[index] = value;
    return value;
  };
  let denied = false;
  let unknownSafety = false;
  for (const index of plan.safety) {
    const value = run(index);
    if (value === TRUE) denied = true;
    else if (value === UNKNOWN) unknownSafety = true;
  }
  let indication: Truth = FALSE;
  for (const section of plan.sections) {
    let scenarios: Truth = FALSE;
    for (const index of section.scenarios) {
      const value = run(index);
      if (value === TRUE) scenarios = TRUE;
      else if (value === UNKNOWN && scenarios === FALSE) scenarios = UNKNOWN;
    }
    const sectionTruth = and2(run(section.population), scenarios);
    if (sectionTruth === TRUE) indication = TRUE;
    else if (sectionTruth === UNKNOWN && indication === FALSE) indication = UNKNOWN;
  }
  let exemption: Truth = FALSE;
  if (plan.requested >= 0) {
    exemption = run(plan.requested);
    if (exemption !== FALSE) for (const index of plan.conditions) exemption = and2(exemption, run(index));
  }
  const coverage: Truth = indication === TRUE || exemption === TRUE ? TRUE : indication === UNKNOWN || exemption === UNKNOWN ? UNKNOWN : FALSE;

  if (denied) {
    for (const index of plan.safety) if (results[index] === TRUE) deciding[index] = 1;
    return { outcome: 'DENIED', results, deciding, offLabel: null, lineOfBusiness: null };
  }
  if (coverage === FALSE) {
    const offLabel = evaluateOffLabel(ruleSet, request, input);
    if (!offLabel) {
      markCoverage(plan, results, deciding, FALSE);
      return { outcome: 'DENIED', results, deciding, offLabel: null, lineOfBusiness: null };
    }
    if (offLabel.excluded !== TRUE) for (const index of plan.safety) if (results[index] === UNKNOWN) deciding[index] = 1;
    return { outcome: offLabel.excluded === TRUE ? 'DENIED' : 'PENDED', results, deciding, offLabel, lineOfBusiness: null };
  }
  if (coverage === UNKNOWN || unknownSafety) {
    for (const index of plan.safety) if (results[index] === UNKNOWN) deciding[index] = 1;
    if (coverage === UNKNOWN) markCoverage(plan, results, deciding, UNKNOWN);
    return { outcome: 'INCOMPLETE', results, deciding, offLabel: null, lineOfBusiness: null };
  }
  if (indication === TRUE) {
    const section = plan.sections.find((candidate) => results[candidate.population] === TRUE && candidate.scenarios.some((index) => results[index] === TRUE));
    if (section) {
      deciding[section.population] = 1;
      for (const index of section.scenarios) if (results[index] === TRUE) deciding[index] = 1;
    }
  } else {
    deciding[plan.requested] = 1;
    for (const index of plan.conditions) deciding[index] = 1;
  }
  return { outcome: 'APPROVED', results, deciding, offLabel: null, lineOfBusiness: null };
}

function and2(a: Truth, b: Truth): Truth {
  return a === FALSE || b === FALSE ? FALSE : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : TRUE;
}

/**
 * Marks as deciding the coverage rules that have the given value, within the paths that have it:
 * a section already settled by its population does not ask about its scenarios, and the other way round.
 */
function markCoverage(plan: Plan, results: Uint8Array, deciding: Uint8Array, value: Truth): void {
  for (const section of plan.sections) {
    const scenarios = or(section.scenarios.map((index) => results[index] as Truth));
    if (and2(results[section.population] as Truth, scenarios) !== value) continue;
    for (const index of [section.population, ...section.scenarios]) if (results[index] === value) deciding[index] = 1;
  }
  if (plan.requested < 0) return;
  let exemption = results[plan.requested] as Truth;
  for (const index of plan.conditions) exemption = and2(exemption, results[index] as Truth);
  if (exemption !== value) return;
  if (results[plan.requested] === value) deciding[plan.requested] = 1;
  for (const index of plan.conditions) if (results[index] === value) deciding[index] = 1;
}

/** Decides and builds the full trace: what the service stores and shows. */
export function decide(ruleSet: CompiledRuleSet, request: CoreRequest): Decision {
  return traceOf(ruleSet, request, evaluate(ruleSet, request));
}

/** Builds the readable trace of an evaluation: every rule evaluated with its cited text and facts. */
export function traceOf(ruleSet: CompiledRuleSet, request: CoreRequest, evaluation: Evaluation): Decision {
  const plan = planOf(ruleSet);
  const entries: TraceEntry[] = [];
  if (evaluation.lineOfBusiness !== null) entries.push(lineOfBusinessEntry(evaluation.lineOfBusiness, ruleSet.linesOfBusiness.get(evaluation.lineOfBusiness)));
  plan.rules.forEach((planned, index) => {
    entries.push(toTrace(planned.role, planned.rule, evaluation.results[index] as Truth | typeof NOT_EVALUATED, evaluation.deciding[index] === 1, request.values, ruleSet.slotOf));
  });
  let checklist: ChecklistEntry[] = [];
  if (evaluation.offLabel && ruleSet.offLabel) {
    const { excluded, perItem } = evaluation.offLabel;
    const offLabel = ruleSet.offLabel;
    entries.push(toTrace('off-label', { citation: offLabel.citation, condition: OFF_LABEL_CONDITION }, excluded, true, request.values, ruleSet.slotOf));
    checklist = offLabel.checklist.map((rule, index): ChecklistEntry => {
      const values = perItem.map((item) => item[index] as Truth);
      return {
        citation: rule.citation,
        rule: rule.condition.text,
        result: values.length === 0 ? 'UNKNOWN' : resultOf(or(values)),
        itemsMeeting: values.filter((value) => value === TRUE).length,
        itemsChecked: values.length,
      };
    });
  }
  const trace = entries.sort((a, b) => Number(b.deciding) - Number(a.deciding) || ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  const outcome = evaluation.outcome;
  return {
    outcome,
    trace,
    missingFacts: outcome === 'INCOMPLETE' || outcome === 'PENDED' ? [...new Set(trace.filter((t) => t.deciding).flatMap((t) => t.missingFacts))] : [],
    checklist,
    authorizedLimits: outcome === 'APPROVED' ? authorizedLimits(ruleSet, request) : [],
    notices: outcome === 'APPROVED' || outcome === 'PENDED' ? ruleSet.notices : [],
    factsUsed: factsUsed(trace, request.values, ruleSet.slotOf),
  };
}

const OFF_LABEL_CONDITION = { evaluate: (): Truth => UNKNOWN, facts: [] as string[], text: 'no covered indication applies, so the use is off-label; evidence is checked against the checklist' };

function evaluateOffLabel(ruleSet: CompiledRuleSet, request: CoreRequest, input: EvaluationInput): { excluded: Truth; perItem: Truth[][] } | null {
  const offLabel = ruleSet.offLabel;
  if (!offLabel) return null;
  const perItem = request.evidence.map((item) => offLabel.checklist.map((rule) => rule.condition.evaluate({ ...input, item })));
  const sufficient: Truth = request.evidence.length === 0 ? UNKNOWN : or(perItem.map((results) => and(results)));
  // The exclusion applies when the evidence is insufficient: TRUE means excluded.
  return { excluded: sufficient === TRUE ? FALSE : sufficient === FALSE ? TRUE : UNKNOWN, perItem };
}

/** A rule not evaluated (its path was already decided) still appears in the trace, marked so. */
function toTrace(role: Role, rule: CompiledRule, truth: Truth | typeof NOT_EVALUATED, deciding: boolean, values: CoreRequest['values'], slotOf: ReadonlyMap<string, number>): TraceEntry {
  const facts = rule.condition.facts;
  const evaluated = truth !== NOT_EVALUATED;
  return {
    role,
    citation: rule.citation,
    result: evaluated ? resultOf(truth) : 'NOT_EVALUATED',
    deciding,
    rule: rule.condition.text,
    factsRead: evaluated ? facts : [],
    missingFacts: evaluated ? facts.filter((key) => values[slotOf.get(key) ?? -1] === undefined) : [],
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
    const applies = rule.condition ? rule.condition.evaluate({ values: request.values, dateOfService: request.dateOfService }) : TRUE;
    if (applies === UNKNOWN) return [];
    const keys = applies === TRUE ? (rule.used ?? []) : (rule.otherwiseUsed ?? []);
    const used = keys.map((key) => request.values[ruleSet.slotOf.get(key) ?? -1]);
    if (used.some((value) => typeof value !== 'number')) return [];
    const total = (used as number[]).reduce((sum, value) => sum + value, 0);
    return [{
      kind: rule.kind, amount: Math.max(0, rule.limit.amount - total), unit, billingUnits: null, billingCode: null, citation: rule.citation,
      basis: `${rule.limit.amount} ${unit}${rule.limit.qualifier ? ` (${rule.limit.qualifier})` : ''} minus ${total} counted (${keys.join(' + ') || 'nothing'})`,
    }];
  });
}

function lineOfBusinessEntry(code: string, line: { label: string; applicable: boolean; span: SourceSpan } | undefined): TraceEntry {
  const citation: CitedText = { key: `LOB-${code}`, text: line?.label ?? code, span: line?.span ?? null };
  const rule = line ? `${line.label} is not checked under Applicable Lines of Business` : `${code} is not listed under Applicable Lines of Business`;
  return { role: 'line-of-business', citation, result: 'NOT_MET', deciding: true, rule, factsRead: [], missingFacts: [] };
}
