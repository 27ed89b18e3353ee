import type { Extension } from '@medplum/fhirtypes';
import type { Determination, DeterminationOutcome } from '../domain/determination.ts';
import { COVERAGE_INFORMATION_URL, CRD_TEMP_CODES, HCPCS_SYSTEM, UCUM_SYSTEM } from './crd-codes.ts';

/** What a coverage assertion is made from besides the determination: all of it known to the caller. */
export interface AssertionContext {
  /** The Coverage the assertion applies to, as the hook's prefetch named it (`Coverage/123`). */
  readonly coverageReference: string;
  /** The day the assertion is made (YYYY-MM-DD). */
  readonly assertedOn: string;
  /** The guideline's HCPCS code the order was matched on. */
  readonly billingCode: string | null;
  /** The day before the next version takes effect (the assertion holds until then); null when none is published. */
  readonly expiryDate: string | null;
  /** The DTR questionnaire that gathers what the rules still need (INCOMPLETE only). */
  readonly questionnaireUrl: string | null;
  /** The guideline section that decided (deep link to its criterion and line span). */
  readonly policyLink: string | null;
  /**
   * An order being selected, not signed (order-select): decided as a what-if, so an approval is
   * not yet a satisfied prior authorization (no satisfied-pa-id a claim could carry).
   */
  readonly provisional?: boolean;
}

/** Why no decision could be made from the guideline: reported, never guessed. */
export interface Indeterminate {
  /** `technical` for a failure of this service; `no-decision` for a request the guideline cannot decide. */
  readonly kind: 'technical' | 'no-decision';
  readonly text: string;
  /** Traces the assertion (no determination was stored, so it is not one's id). */
  readonly assertionId: string;
}

/**
 * How each outcome is asserted (the README's table). APPROVED: covered, prior authorization
 * satisfied by this determination (its id is the satisfied-pa-id the claim carries back). DENIED:
 * not covered, with the deciding criteria. PENDED: covered, prior authorization needed, clinical
 * documentation needed (a reviewer decides). INCOMPLETE: conditional on the facts still missing,
 * gathered by the questionnaire. NOT_APPLICABLE, NO_EFFECTIVE_VERSION, NOT_DECIDABLE and any
 * failure: indeterminate, with the reason.
 */
export const ASSERTION_OF: Readonly<Record<DeterminationOutcome, { covered: string; paNeeded: string | null; docNeeded: string | null; docPurpose: string | null; infoNeeded: string | null }>> = {
  APPROVED: { covered: 'covered', paNeeded: 'satisfied', docNeeded: null, docPurpose: null, infoNeeded: null },
  DENIED: { covered: 'not-covered', paNeeded: null, docNeeded: null, docPurpose: null, infoNeeded: null },
  // No doc-purpose `withpa`: crd-ci-q4 as the IG writes it evaluates to empty (not true) whenever pa-needed is not
  // satisfied, noauth or not-covered, and a validator reads empty as a violation; pa-needed already says a PA is needed.
  PENDED: { covered: 'covered', paNeeded: 'auth-needed', docNeeded: 'clinical', docPurpose: null, infoNeeded: null },
  INCOMPLETE: { covered: 'conditional', paNeeded: 'conditional', docNeeded: 'clinical', docPurpose: null, infoNeeded: 'OTH' },
  NOT_APPLICABLE: { covered: 'indeterminate', paNeeded: 'indeterminate', docNeeded: null, docPurpose: null, infoNeeded: null },
  NO_EFFECTIVE_VERSION: { covered: 'indeterminate', paNeeded: 'indeterminate', docNeeded: null, docPurpose: null, infoNeeded: null },
  NOT_DECIDABLE: { covered: 'indeterminate', paNeeded: 'indeterminate', docNeeded: null, docPurpose: null, infoNeeded: null },
};

const code = (url: string, value: string | null): Extension[] => (value === null ? [] : [{ url, valueCode: value }]);
const reasonText = (text: string): Extension => ({ url: 'reason', valueCodeableConcept: { text } });

/** The deciding criteria of a determination, as one sentence each (what a denial or review rests on). */
export function decidingText(determination: Determination): string {
  const deciding = determination.reasons.filter((reason) => reason.deciding);
  return (deciding.length > 0 ? deciding : determination.reasons.slice(0, 1)).map((reason) => `${reason.criterionKey}: ${reason.citedText}`).join(' ') || determination.summary;
}

/** The CRD coverage-information extension for one order. */
export function coverageInformation(decided: Determination | Indeterminate, context: AssertionContext): Extension {
  const parts: Extension[] = [{ url: 'coverage', valueReference: { reference: context.coverageReference } }];
  if ('kind' in decided) {
    parts.push({ url: 'covered', valueCode: 'indeterminate' }, { url: 'pa-needed', valueCode: 'indeterminate' });
    if (context.billingCode) parts.push({ url: 'billingCode', valueCoding: { system: HCPCS_SYSTEM, code: context.billingCode } });
    parts.push(decided.kind === 'technical'
      ? { url: 'reason', valueCodeableConcept: { coding: [{ system: CRD_TEMP_CODES, code: 'technical', display: 'Technical issues' }], text: decided.text } }
      : reasonText(decided.text));
    parts.push({ url: 'date', valueDate: context.assertedOn }, { url: 'coverage-assertion-id', valueString: decided.assertionId });
    return { url: COVERAGE_INFORMATION_URL, extension: parts };
  }
  const provisionalApproval = decided.outcome === 'APPROVED' && context.provisional === true;
  const assertion = provisionalApproval ? { ...ASSERTION_OF.APPROVED, paNeeded: 'auth-needed' } : ASSERTION_OF[decided.outcome];
  parts.push(...code('covered', assertion.covered), ...code('pa-needed', assertion.paNeeded), ...code('doc-needed', assertion.docNeeded), ...code('doc-purpose', assertion.docPurpose), ...code('info-needed', assertion.infoNeeded));
  if (context.billingCode) parts.push({ url: 'billingCode', valueCoding: { system: HCPCS_SYSTEM, code: context.billingCode } });
  switch (decided.outcome) {
    case 'APPROVED':
      if (provisionalApproval) parts.push(reasonText(`The criteria of ${decided.guidelineNumber} are met on what was sent; prior authorization is satisfied when the order is signed`));
      break;
    case 'DENIED':
      parts.push(reasonText(`Not covered under ${decided.guidelineNumber}: ${decidingText(decided)}`));
      break;
    case 'PENDED':
      parts.push(reasonText(`A clinical reviewer decides (${decided.guidelineNumber}): ${decided.reviewChecklist.map((item) => item.text).join(' ') || decidingText(decided)}`));
      break;
    case 'INCOMPLETE':
      parts.push(reasonText(`Needed to decide under ${decided.guidelineNumber}: ${decided.missingFacts.map((fact) => fact.question).join(' ')}`));
      break;
    case 'NOT_APPLICABLE':
    case 'NO_EFFECTIVE_VERSION':
    case 'NOT_DECIDABLE':
      parts.push(reasonText(decided.summary));
      break;
    default: {
      const unknown: never = decided.outcome;
      throw new Error(`unhandled outcome ${String(unknown)}`);
    }
  }
  if (decided.outcome === 'APPROVED') {
    for (const limit of decided.authorizedLimits) {
      // In billing units of the code when the rule set computed them; else in the limit's own UCUM unit.
      const inBillingUnits = limit.billingUnits !== null && context.billingCode !== null;
      parts.push({
        url: 'detail',
        extension: [
          { url: 'category', valueCode: 'cat-limitation' },
          { url: 'code', valueCodeableConcept: { coding: [{ system: CRD_TEMP_CODES, code: 'allowed-quantity', display: 'Maximum quantity' }] } },
          {
            url: 'value',
            valueQuantity: inBillingUnits
              ? { value: limit.billingUnits as number, unit: `billing units of ${context.billingCode}`, system: UCUM_SYSTEM, code: '{unit}' }
              : { value: limit.amount, unit: limit.unit, system: UCUM_SYSTEM, code: limit.unit },
          },
          { url: 'qualification', valueString: `${limit.kind}: ${limit.explanation}` },
        ],
      });
    }
  }
  if (context.policyLink) {
    parts.push({
      url: 'detail',
      extension: [
        { url: 'category', valueCode: 'cat-other' },
        { url: 'code', valueCodeableConcept: { coding: [{ system: CRD_TEMP_CODES, code: 'policy-link', display: 'Policy Link' }] } },
        { url: 'value', valueUrl: context.policyLink },
      ],
    });
  }
  if (decided.outcome === 'INCOMPLETE' && context.questionnaireUrl) parts.push({ url: 'questionnaire', valueCanonical: context.questionnaireUrl });
  parts.push({ url: 'date', valueDate: context.assertedOn }, { url: 'coverage-assertion-id', valueString: decided.id });
  if (decided.outcome === 'APPROVED' && !provisionalApproval) parts.push({ url: 'satisfied-pa-id', valueString: decided.id });
  if (context.expiryDate) parts.push({ url: 'expiry-date', valueDate: context.expiryDate });
  return { url: COVERAGE_INFORMATION_URL, extension: parts };
}
