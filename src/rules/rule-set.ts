import type { Expression, RoundingMode, Term } from './expression.ts';

/** A rule set as authored (YAML beside the guideline document), after JSON-Schema validation. */
export interface RuleSetSource {
  readonly name: string;
  readonly guideline: string;
  /** "YYYY-MM": the version it was reviewed against. */
  readonly implementationDate: string;
  readonly reviewedBy: string;
  readonly reviewedOn: string;
  readonly facts: readonly FactDefinition[];
  /** Facts computed from other facts by a declared formula (body surface area from height and weight). */
  readonly derived?: readonly DerivedFact[];
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

export interface DerivedFact {
  readonly key: string;
  /** Body surface area in m2, rounded to 0.01 m2: Mosteller √(height cm × weight kg / 3600) or Du Bois 0.007184 × weight kg^0.425 × height cm^0.725. */
  readonly formula: 'MOSTELLER' | 'DU_BOIS';
  readonly height: string;
  readonly weight: string;
  readonly description: string;
  /** Why this formula: recorded as an interpretation of the rule set. */
  readonly rationale: string;
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

/** A limit as the rule set declares it: every part must equal what the parser read from the text. */
export interface LimitDeclaration {
  readonly kind: 'MAX_DOSE' | 'MAX_DURATION';
  readonly amount: number;
  readonly unit: string;
  readonly per?: readonly string[];
  readonly cap?: { readonly amount: number; readonly unit: string };
  readonly interval?: { readonly amount: number; readonly unit: string };
  readonly qualifier?: string;
  readonly condition?: string;
}

/** The second part of a two-part limit ("…, or 12 months when used as adjuvant therapy"). */
export interface LimitAlternative {
  readonly limit: LimitDeclaration;
  /** When this part replaces the first one: its qualifier or condition, read from the member's facts. */
  readonly appliesWhen: Expression;
  readonly when: Expression;
}

export interface ExclusionRule extends CriterionRule {
  readonly limit?: LimitDeclaration;
  /**
   * When the limit applies: required when the text states a qualifier or condition ("when used in
   * combination with nivolumab"). The exclusion is met when it applies and `when` holds. For the
   * first part of a two-part limit, it applies when no alternative does.
   */
  readonly appliesWhen?: Expression;
  readonly alternatives?: readonly LimitAlternative[];
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
  /**
   * For MAX_DOSE_PER_PERIOD: the member's maximum dose, required when the limit is per kg or per m2
   * (e.g. { min: [{ times: [$limit, { fact: bodySurfaceArea }] }, $cap] }); without it, the limit itself.
   */
  readonly dose?: Term;
  /** Billing code to express a dose in billing units. */
  readonly billingCode?: string;
  /** How dose ÷ the code's unit becomes whole billing units: required with billingCode. */
  readonly billingUnits?: RoundingMode;
}

export interface InterpretationSource {
  readonly topic: string;
  readonly decision: string;
  readonly rationale: string;
  readonly criterionKeys: readonly string[];
}
