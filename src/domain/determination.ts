import type { SourceSpan } from './document.ts';

export type DeterminationOutcome = 'APPROVED' | 'DENIED' | 'PENDED' | 'INCOMPLETE' | 'NOT_APPLICABLE' | 'NO_EFFECTIVE_VERSION' | 'NOT_DECIDABLE';

export interface FactRequirementView {
  readonly key: string;
  readonly type: string;
  readonly unit: string | null;
  readonly allowedValues: readonly string[] | null;
  readonly minimum: number | null;
  readonly maximum: number | null;
  readonly description: string;
  readonly question: string;
}

export interface ReasonView {
  readonly criterionKey: string;
  readonly role: string;
  readonly result: 'MET' | 'NOT_MET' | 'UNKNOWN' | 'NOT_EVALUATED';
  readonly deciding: boolean;
  readonly citedText: string;
  readonly span: SourceSpan | null;
  readonly explanation: string;
  readonly factsRead: readonly string[];
  readonly missingFacts: readonly string[];
}

/** What a stored determination holds besides its identifying columns (stored as JSON). */
export interface DeterminationResult {
  readonly summary: string;
  readonly reasons: readonly ReasonView[];
  readonly missingFacts: readonly FactRequirementView[];
  readonly reviewChecklist: readonly { readonly criterionKey: string; readonly text: string; readonly result: ReasonView['result']; readonly explanation: string }[];
  readonly authorizedLimits: readonly {
    readonly kind: string; readonly amount: number; readonly unit: string; readonly billingUnits: number | null; readonly billingCode: string | null; readonly criterionKey: string; readonly explanation: string;
    /** Absent in determinations stored before exact arithmetic (then the amount is exact as shown). */
    readonly exactAmount?: string;
  }[];
  /** Facts computed by a formula the rule set declares (body surface area), with the formula; absent in older determinations. */
  readonly derivedFacts?: readonly { readonly key: string; readonly value: number; readonly formula: string }[];
  readonly notices: readonly { readonly criterionKey: string; readonly kind: string; readonly text: string }[];
}

export interface Determination extends DeterminationResult {
  readonly id: string;
  readonly outcome: DeterminationOutcome;
  readonly guidelineNumber: string;
  readonly versionId: string | null;
  readonly ruleSetSha256: string | null;
  readonly dateOfService: string;
  readonly lineOfBusiness: string;
  readonly factsUsed: readonly { readonly key: string; readonly value: unknown }[];
  readonly evidence: readonly Readonly<Record<string, unknown>>[];
  readonly whatIf: boolean;
  /** Asked for as urgent (expedited review). */
  readonly expedited: boolean;
  readonly idempotencyKey: string | null;
  /** The API key that asked (its id, never the secret) and its role; null for records from before it was kept. */
  readonly askedBy: { readonly apiKeyId: string; readonly role: string } | null;
  readonly createdAt: Date;
}
