import type { Expression } from './expression.ts';

/** A rule set as authored (YAML beside the guideline document), after JSON-Schema validation. */
export interface RuleSetSource {
  readonly name: string;
  readonly guideline: string;
  /** "YYYY-MM": the version it was reviewed against. */
  readonly implementationDate: string;
  readonly reviewedBy: string;
  readonly reviewedOn: string;
  readonly facts: readonly FactDefinition[];
  readonly evidence?: readonly FactDefinition[];
  readonly indications: readonly IndicationRule[];
  readonly contraindications: readonly CriterionRule[];
  readonly exclusions: readonly ExclusionRule[];
  readonly continuation?: ContinuationRule;
  readonly offLabel?: OffLabelRule;
  readonly notices?: readonly Citation[];
  readonly authorize?: readonly AuthorizationRule[];
  readonly interpretations: readonly InterpretationSource[];
}

export type FactType = 'boolean' | 'number' | 'integer' | 'date' | 'enum';

export interface FactDefinition {
  readonly key: string;
  readonly type: FactType;
  readonly unit?: string;
  readonly values?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly description: string;
  readonly question: string;
}

/** Which criterion a rule implements: its stable key and the exact text it was reviewed against. */
export interface Citation {
  readonly key: string;
  readonly text: string;
}

export interface CriterionRule {
  readonly cites: Citation;
  readonly when: Expression;
}

export interface LimitDeclaration {
  readonly kind: 'MAX_DOSE' | 'MAX_DURATION';
  readonly amount: number;
  readonly unit: string;
  readonly per?: readonly string[];
  readonly qualifier?: string;
}

export interface ExclusionRule extends CriterionRule {
  readonly limit?: LimitDeclaration;
}

export interface IndicationRule {
  /** The disease section's name as parsed, e.g. "Acute Lymphoblastic Leukemia". */
  readonly section: string;
  /** The population line, quoted; its requirements apply to every scenario of the section. */
  readonly population: { readonly cites: string; readonly when: Expression };
  readonly scenarios: readonly CriterionRule[];
}

export interface ContinuationRule {
  /** Whether the request is a continuation at all; the exemption is only considered then. */
  readonly requested: Expression;
  readonly conditions: readonly CriterionRule[];
}

export interface OffLabelRule {
  readonly cites: Citation;
  /** Each item of the evidence checklist, checked against every evidence item of the request. */
  readonly checklist: readonly CriterionRule[];
}

export interface AuthorizationRule {
  readonly kind: 'MAX_DOSE_PER_PERIOD' | 'REMAINING_DURATION';
  /** The exclusion whose limit is authorized. */
  readonly limitOf: string;
  /** For REMAINING_DURATION: facts whose sum is already used (prior plus requested). */
  readonly used?: readonly string[];
  /** When given and not met, `otherwiseUsed` counts instead (e.g. maintenance cycles do not count). */
  readonly when?: Expression;
  readonly otherwiseUsed?: readonly string[];
  /** Billing code to express a dose in billing units. */
  readonly billingCode?: string;
}

export interface InterpretationSource {
  readonly topic: string;
  readonly decision: string;
  readonly rationale: string;
  readonly criterionKeys: readonly string[];
}
