import type { SourceSpan } from '../domain/document.ts';
import type { CompiledAuthorization, CompiledRule, CompiledRuleSet, CitedText } from './compile-rule-set.ts';
import type { CompiledExpression, EvaluationInput } from './compile-expression.ts';
import type { Exact } from './exact.ts';
import { compare, divide, formatExact, multiply, ONE, roundTo, subtract, toNumber, ZERO } from './exact.ts';
import { conversion } from './units.ts';
import type { Scalar } from './expression.ts';
import { CodeBuilder, emitOf } from './generated-code.ts';
import type { CriterionResult, Truth } from './truth.ts';
import { and, FALSE, or, resultOf, TRUE, UNKNOWN } from './truth.ts';

export type Outcome = 'APPROVED' | 'DENIED' | 'PENDED' | 'INCOMPLETE' | 'NOT_APPLICABLE';

export type Role = 'line-of-business' | 'contraindication' | 'exclusion' | 'population' | 'indication' | 'continuation-request' | 'continuation' | 'off-label' | 'evidence-checklist' | 'authorization';

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
  /** The amount as an exact decimal ("130.5"), as computed. */
  readonly exactAmount: string;
  /** UCUM code, e.g. "mg", "ug/d", "{cycle}". */
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
  /** Facts computed by a declared formula from facts used, e.g. body surface area. */
  readonly derivedFacts: readonly { readonly key: string; readonly value: number; readonly formula: string }[];
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
  'line-of-business': 0, contraindication: 1, exclusion: 2, 'off-label': 3, population: 4, indication: 5, 'continuation-request': 6, continuation: 7, 'evidence-checklist': 8, authorization: 9,
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
  /** Indexes of the authorizations' readiness checks: an approval needs every fact they read. */
  readonly authorizations: readonly number[];
  /** The rules of this plan as one generated function. */
  readonly generated: RuleEvaluation;
  /** Every rule not evaluated: the results array each evaluation starts from (copied). */
  readonly unevaluated: Uint8Array;
  /** Each rule as a trace shows it. */
  readonly table: readonly RuleTableEntry[];
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
  const authorizations = ruleSet.authorize.map((authorization) => add('authorization', { citation: authorization.citation, condition: readiness(authorization) }));
  const laidOut = { rules, safety, sections, requested, conditions, authorizations };
  const table = rules.map(({ role, rule }): RuleTableEntry => ({
    role, citation: rule.citation, rule: rule.condition.text, facts: rule.condition.facts, slots: rule.condition.facts.map((key) => ruleSet.slotOf.get(key) ?? -1),
  }));
  const plan = { ...laidOut, table, generated: generateRuleEvaluation(ruleSet, laidOut), unevaluated: new Uint8Array(rules.length).fill(NOT_EVALUATED) };
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

/** The rule evaluations of one request, generated per rule set (see `generateRuleEvaluation`). */
type RuleEvaluation = (request: CoreRequest, results: Uint8Array, deciding: Uint8Array) => Evaluation;

/**
 * Decides one request: the hot path. Pure and deterministic; the date of service is an input; a
 * missing fact makes the rules that need it unknown, and unknown never approves. It allocates two
 * small typed arrays per call (each rule's value, and whether it decided: with the rule set's
 * static rule table, that is the whole trace); the readable trace is built only when rendered,
 * by `traceOf`. The rules run as one generated function per rule set.
 */
export function evaluate(ruleSet: CompiledRuleSet, request: CoreRequest): Evaluation {
  const plan = planOf(ruleSet);
  const results = plan.unevaluated.slice();
  const deciding = new Uint8Array(plan.rules.length);
  const line = ruleSet.linesOfBusiness.get(request.lineOfBusiness);
  if (!line?.applicable) return { outcome: 'NOT_APPLICABLE', results, deciding, offLabel: null, lineOfBusiness: request.lineOfBusiness };
  return plan.generated(request, results, deciding);
}

/**
 * The same decision through the compiled closures, rule by rule: the reference the generated
 * evaluator is tested against (a differential test over random requests), and its specification.
 */
export function evaluateInterpreted(ruleSet: CompiledRuleSet, request: CoreRequest): Evaluation {
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
  return conclude(ruleSet, plan, request, results, deciding, denied, unknownSafety, indication, exemption);
}

/**
 * Generates the rule evaluations of `evaluateInterpreted` as one function: the same rules in the
 * same order with the same short cuts, each condition inlined where it has generated code, and the
 * same conclusion.
 */
function generateRuleEvaluation(ruleSet: CompiledRuleSet, plan: Omit<Plan, 'generated' | 'unevaluated' | 'table'>): RuleEvaluation {
  const code = new CodeBuilder();
  const conclusion = code.constant((request: CoreRequest, results: Uint8Array, deciding: Uint8Array, denied: boolean, unknownSafety: boolean, indication: Truth, exemption: Truth) =>
    conclude(ruleSet, plan, request, results, deciding, denied, unknownSafety, indication, exemption));
  const rule = (index: number, target: string): string => `${emitOf((plan.rules[index] as PlannedRule).rule.condition)(code, target)} results[${index}] = ${target};`;
  const value = code.temp();
  const statements: string[] = ['let denied = false, unknownSafety = false, indication = 0, exemption = 0, scenarios = 0, section = 0;'];
  for (const index of plan.safety) statements.push(`${rule(index, value)} if (${value} === 1) denied = true; else if (${value} === 2) unknownSafety = true;`);
  for (const section of plan.sections) {
    statements.push('scenarios = 0;');
    for (const index of section.scenarios) statements.push(`${rule(index, value)} if (${value} === 1) scenarios = 1; else if (${value} === 2 && scenarios === 0) scenarios = 2;`);
    statements.push(`${rule(section.population, value)} section = ${value} === 0 || scenarios === 0 ? 0 : ${value} === 2 || scenarios === 2 ? 2 : 1;`);
    statements.push('if (section === 1) indication = 1; else if (section === 2 && indication === 0) indication = 2;');
  }
  if (plan.requested >= 0) {
    const conditions = plan.conditions.map((index) => `${rule(index, value)} exemption = exemption === 0 || ${value} === 0 ? 0 : exemption === 2 || ${value} === 2 ? 2 : 1;`);
    statements.push(`${rule(plan.requested, value)} exemption = ${value};`, `if (exemption !== 0) { ${conditions.join(' ')} }`);
  }
  statements.push(`return ${conclusion}(request, results, deciding, denied, unknownSafety, indication, exemption);`);
  const body = `${code.prologue('request.values', 'request.dateOfService')} ${statements.join('\n')}`;
  // The source holds only slot indexes, literals and references to the constants (see generated-code.ts).
  const make = new Function('k', `return function evaluateRules(request, results, deciding) { ${body} };`) as (constants: unknown[]) => RuleEvaluation;
  return make(code.constants);
}

/** Everything after the rules ran: the outcome and which rules decided it. */
function conclude(
  ruleSet: CompiledRuleSet, plan: Omit<Plan, 'generated' | 'unevaluated' | 'table'>, request: CoreRequest, results: Uint8Array, deciding: Uint8Array,
  denied: boolean, unknownSafety: boolean, indication: Truth, exemption: Truth,
): Evaluation {
  const coverage: Truth = indication === TRUE || exemption === TRUE ? TRUE : indication === UNKNOWN || exemption === UNKNOWN ? UNKNOWN : FALSE;

  if (denied) {
    for (const index of plan.safety) if (results[index] === TRUE) deciding[index] = 1;
    return { outcome: 'DENIED', results, deciding, offLabel: null, lineOfBusiness: null };
  }
  if (coverage === FALSE) {
    const offLabel = evaluateOffLabel(ruleSet, request, { values: request.values, dateOfService: request.dateOfService });
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
    // The first section whose population and a scenario hold decided (loops, not closures: the hot path).
    for (const section of plan.sections) {
      if (results[section.population] !== TRUE) continue;
      let met = false;
      for (const index of section.scenarios) if (results[index] === TRUE) met = true;
      if (!met) continue;
      deciding[section.population] = 1;
      for (const index of section.scenarios) if (results[index] === TRUE) deciding[index] = 1;
      break;
    }
  } else {
    deciding[plan.requested] = 1;
    for (const index of plan.conditions) deciding[index] = 1;
  }
  // An approval states what it authorizes; a per-kg dose without the member's weight is not guessed.
  let authorizable = true;
  if (plan.authorizations.length > 0) {
    const input: EvaluationInput = { values: request.values, dateOfService: request.dateOfService };
    for (const index of plan.authorizations) {
      const value = (plan.rules[index] as PlannedRule).rule.condition.evaluate(input);
      results[index] = value;
      if (value === UNKNOWN) authorizable = false;
    }
  }
  if (!authorizable) {
    deciding.fill(0);
    for (const index of plan.authorizations) if (results[index] === UNKNOWN) deciding[index] = 1;
    return { outcome: 'INCOMPLETE', results, deciding, offLabel: null, lineOfBusiness: null };
  }
  return { outcome: 'APPROVED', results, deciding, offLabel: null, lineOfBusiness: null };
}

/** Which part of an authorization's limit applies: its index, -1 for none, or UNKNOWN when that depends on a missing fact. */
function applicablePart(authorization: CompiledAuthorization, input: EvaluationInput): number | typeof UNKNOWN_PART {
  for (const [index, part] of authorization.parts.entries()) {
    const applies = part.applies ? part.applies.evaluate(input) : TRUE;
    if (applies === UNKNOWN) return UNKNOWN_PART;
    if (applies === TRUE) return index;
  }
  return -1;
}
const UNKNOWN_PART = 'unknown';

/**
 * TRUE when the authorization of the applicable part can be computed: every fact it needs is
 * given and the amount evaluates (an approval never goes out with a limit silently left off).
 */
function readiness(authorization: CompiledAuthorization): CompiledExpression {
  return {
    facts: authorization.facts,
    text: `authorized ${authorization.kind === 'MAX_DOSE_PER_PERIOD' ? 'dose' : 'remaining duration'} = ${authorization.text}${authorization.parts.some((part) => part.applies) ? `, for the part of the limit that applies (${authorization.parts.map((part) => part.applies?.text ?? 'always').join(' | ')})` : ''}`,
    evaluate: (input) => {
      const part = applicablePart(authorization, input);
      if (part === UNKNOWN_PART) return UNKNOWN;
      if (part < 0) return TRUE;
      const { amount } = authorization.parts[part] as CompiledAuthorization['parts'][number];
      if (amount.evaluate(input) === undefined) return UNKNOWN;
      if (authorization.kind === 'REMAINING_DURATION') {
        const counts = authorization.usedWhen ? authorization.usedWhen.evaluate(input) : TRUE;
        if (counts === UNKNOWN) return UNKNOWN;
        const used = counts === TRUE ? authorization.used : authorization.otherwiseUsed;
        if (used && used.evaluate(input) === undefined) return UNKNOWN;
      }
      return TRUE;
    },
  };
}

function and2(a: Truth, b: Truth): Truth {
  return a === FALSE || b === FALSE ? FALSE : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : TRUE;
}

function or2(a: Truth, b: Truth): Truth {
  return a === TRUE || b === TRUE ? TRUE : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : FALSE;
}

/**
 * Marks as deciding the coverage rules that have the given value, within the paths that have it:
 * a section already settled by its population does not ask about its scenarios, and the other way round.
 */
function markCoverage(plan: Omit<Plan, 'generated' | 'unevaluated' | 'table'>, results: Uint8Array, deciding: Uint8Array, value: Truth): void {
  for (const section of plan.sections) {
    let scenarios: Truth = FALSE;
    for (const index of section.scenarios) scenarios = or2(scenarios, results[index] as Truth);
    if (and2(results[section.population] as Truth, scenarios) !== value) continue;
    if (results[section.population] === value) deciding[section.population] = 1;
    for (const index of section.scenarios) if (results[index] === value) deciding[index] = 1;
  }
  if (plan.requested < 0) return;
  let exemption = results[plan.requested] as Truth;
  for (const index of plan.conditions) exemption = and2(exemption, results[index] as Truth);
  if (exemption !== value) return;
  if (results[plan.requested] === value) deciding[plan.requested] = 1;
  for (const index of plan.conditions) if (results[index] === value) deciding[index] = 1;
}

/**
 * A decision's whole trace without its rendering: each rule's value and whether it decided (the
 * evaluation) and which of the rule set's facts the request left missing, as a bitmask over fact
 * slots. With the rule set's static table (`ruleTable`: each rule's cited text, readable rule and
 * fact slots) it holds everything `traceOf` renders; no object is built per rule.
 */
export interface CompactTrace {
  readonly evaluation: Evaluation;
  /** Bit i (word i >>> 5, bit i & 31) is set when the request gives no value for fact slot i. */
  readonly missing: Uint32Array;
}

export function decideCompact(ruleSet: CompiledRuleSet, request: CoreRequest): CompactTrace {
  const evaluation = evaluate(ruleSet, request);
  const { values } = request;
  const missing = new Uint32Array((values.length + 31) >>> 5);
  for (let slot = 0; slot < values.length; slot += 1) if (values[slot] === undefined) missing[slot >>> 5] = (missing[slot >>> 5] as number) | (1 << (slot & 31));
  return { evaluation, missing };
}

/** One planned rule as a trace shows it: static per rule set. */
export interface RuleTableEntry {
  readonly role: Role;
  readonly citation: CitedText;
  readonly rule: string;
  readonly facts: readonly string[];
  /** The slot of each fact in `facts`. */
  readonly slots: readonly number[];
}

/** The static table the results of an evaluation index into (the same order as `Evaluation.results`). */
export function ruleTable(ruleSet: CompiledRuleSet): readonly RuleTableEntry[] {
  return planOf(ruleSet).table;
}

/** Whether fact slot `slot` is missing in a compact trace. */
export function isMissing(trace: CompactTrace, slot: number): boolean {
  return slot >= 0 && (((trace.missing[slot >>> 5] ?? 0) >>> (slot & 31)) & 1) === 1;
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
    // An authorization is checked only on the way to an approval, and shown only when it held the
    // approval back (a fact it needs is missing); what it authorizes is in authorizedLimits.
    if (planned.role === 'authorization' && evaluation.results[index] !== UNKNOWN) return;
    entries.push(tableTrace(plan.table[index] as RuleTableEntry, evaluation.results[index] as Truth | typeof NOT_EVALUATED, evaluation.deciding[index] === 1, request.values));
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
    derivedFacts: ruleSet.derived.flatMap((fact) => {
      const value = fact.get({ values: request.values, dateOfService: request.dateOfService });
      return value === undefined ? [] : [{ key: fact.key, value, formula: fact.text }];
    }),
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

/** A rule of the table as a trace entry; one not evaluated (its path was already decided) still appears, marked so. */
function tableTrace(entry: RuleTableEntry, truth: Truth | typeof NOT_EVALUATED, deciding: boolean, values: CoreRequest['values']): TraceEntry {
  const evaluated = truth !== NOT_EVALUATED;
  return {
    role: entry.role,
    citation: entry.citation,
    result: evaluated ? resultOf(truth) : 'NOT_EVALUATED',
    deciding,
    rule: entry.rule,
    factsRead: evaluated ? entry.facts : [],
    missingFacts: evaluated ? entry.facts.filter((_key, index) => values[entry.slots[index] as number] === undefined) : [],
  };
}

/** A rule outside the plan (the off-label entry) as a trace entry. */
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

function convert(value: Exact, from: string, to: string): Exact | null {
  const result = conversion(from, to);
  return 'factor' in result ? multiply(value, result.factor) : null;
}

/** The limits an approval authorizes, computed exactly from the member's facts, each with how it was computed. */
function authorizedLimits(ruleSet: CompiledRuleSet, request: CoreRequest): AuthorizedLimit[] {
  const input: EvaluationInput = { values: request.values, dateOfService: request.dateOfService };
  return ruleSet.authorize.flatMap((authorization): AuthorizedLimit[] => {
    const index = applicablePart(authorization, input);
    if (index === UNKNOWN_PART || index < 0) return [];
    const part = authorization.parts[index] as CompiledAuthorization['parts'][number];
    const computed = part.amount.evaluate(input);
    const amount = computed === undefined ? null : convert(computed, part.amount.unit, part.perUnit);
    if (amount === null) return [];
    // The qualifier and condition say which dose or phase the amount is for ("initial", "when used in combination with …").
    const circumstance = [part.limit.qualifier ? `qualified "${part.limit.qualifier}"` : null, part.limit.condition].filter((text) => text !== null).join(', ');
    const source = `the limit in the text: ${part.limit.sourceText}${circumstance && !part.limit.sourceText.includes(circumstance) ? ` (${circumstance})` : ''}`;
    if (authorization.kind === 'MAX_DOSE_PER_PERIOD') {
      const formula = part.amount.facts.length > 0 ? `${part.amount.text} = ${formatExact(amount)} ${part.perUnit} (${source})` : source;
      const billing = authorization.billing;
      let billingUnits: number | null = null;
      let basis = formula;
      if (billing) {
        const perBilling = [billing.unit.unit, ...part.perUnit.split('/').slice(1)].join('/');
        const inBillingUnit = convert(amount, part.perUnit, perBilling);
        if (inBillingUnit !== null) {
          const units = divide(inBillingUnit, billing.unit.value);
          const rounded = roundTo(units, ONE, billing.rounding);
          billingUnits = toNumber(rounded);
          basis = `${formula}; ÷ ${formatExact(billing.unit.value)} ${billing.unit.unit} per unit of ${billing.code} = ${formatExact(units)}${compare(units, rounded) === 0 ? '' : `, rounded ${billing.rounding.toLowerCase()} to ${formatExact(rounded)}`} billing units`;
        }
      }
      return [{ kind: authorization.kind, amount: toNumber(amount), exactAmount: formatExact(amount), unit: part.perUnit, billingUnits, billingCode: billing?.code ?? null, citation: authorization.citation, basis }];
    }
    const counts = authorization.usedWhen ? authorization.usedWhen.evaluate(input) : TRUE;
    if (counts === UNKNOWN) return [];
    const usedTerm = counts === TRUE ? authorization.used : authorization.otherwiseUsed;
    const usedValue = usedTerm ? usedTerm.evaluate(input) : ZERO;
    const used = usedValue === undefined ? null : usedTerm ? convert(usedValue, usedTerm.unit, part.perUnit) : ZERO;
    if (used === null) return [];
    const remaining = compare(amount, used) > 0 ? subtract(amount, used) : ZERO;
    return [{
      kind: authorization.kind, amount: toNumber(remaining), exactAmount: formatExact(remaining), unit: part.perUnit, billingUnits: null, billingCode: null, citation: authorization.citation,
      basis: `${formatExact(amount)} ${part.perUnit}${part.limit.qualifier ? ` (${part.limit.qualifier})` : ''}${part.limit.condition ? ` (${part.limit.condition})` : ''} minus ${formatExact(used)} counted (${usedTerm?.text ?? 'nothing'}); ${source}`,
    }];
  });
}

function lineOfBusinessEntry(code: string, line: { label: string; applicable: boolean; span: SourceSpan } | undefined): TraceEntry {
  const citation: CitedText = { key: `LOB-${code}`, text: line?.label ?? code, span: line?.span ?? null };
  const rule = line ? `${line.label} is not checked under Applicable Lines of Business` : `${code} is not listed under Applicable Lines of Business`;
  return { role: 'line-of-business', citation, result: 'NOT_MET', deciding: true, rule, factsRead: [], missingFacts: [] };
}
