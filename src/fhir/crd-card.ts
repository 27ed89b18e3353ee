import type { Determination } from '../domain/determination.ts';
import type { Indeterminate } from './coverage-information.ts';
import { decidingText } from './coverage-information.ts';
import { CARD_TYPE_SYSTEM } from './crd-codes.ts';

/** A CDS Hooks card (CDS Hooks 2.0), as CRD profiles it for coverage information. */
export interface CdsCard {
  readonly uuid: string;
  readonly summary: string;
  readonly indicator: 'info' | 'warning' | 'critical';
  readonly detail: string;
  readonly source: { readonly label: string; readonly topic: { readonly system: string; readonly code: string; readonly display: string } };
  readonly links: readonly { readonly label: string; readonly url: string; readonly type: 'absolute' }[];
}

/** CDS Hooks limits a card's summary to 140 characters. */
export const MAX_SUMMARY = 140;

const clip = (text: string, length = MAX_SUMMARY): string => (text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`);

/** The one-line summary a clinician sees first, for each outcome. */
function summaryOf(drug: string, decided: Determination | Indeterminate): string {
  if ('kind' in decided) return clip(`${drug}: coverage could not be determined: ${decided.text}`);
  const guideline = decided.guidelineNumber;
  switch (decided.outcome) {
    case 'APPROVED': return clip(`${drug}: covered; prior authorization criteria met under ${guideline}`);
    case 'DENIED': return clip(`${drug}: not covered under ${guideline}: ${decidingText(decided)}`);
    case 'PENDED': return clip(`${drug}: prior authorization needed; a clinical reviewer decides (${guideline})`);
    case 'INCOMPLETE': return clip(`${drug}: ${decided.missingFacts.length} answer${decided.missingFacts.length === 1 ? '' : 's'} needed to decide coverage under ${guideline}`);
    default: return clip(`${drug}: coverage could not be determined: ${decided.summary}`);
  }
}

/** The card for one order: summary, the determination's own sentence and deciding criteria, and a link to the section that decided. */
export function coverageCard(uuid: string, drug: string, decided: Determination | Indeterminate, policyLink: string | null, sourceLabel: string): CdsCard {
  const indicator = 'kind' in decided ? 'warning' : decided.outcome === 'APPROVED' ? 'info' : decided.outcome === 'DENIED' ? 'critical' : 'warning';
  const detail = 'kind' in decided
    ? decided.text
    : [decided.summary, ...decided.reasons.filter((reason) => reason.deciding).map((reason) => `- ${reason.criterionKey} (${reason.result}): ${reason.citedText}`),
      ...(decided.outcome === 'INCOMPLETE' ? decided.missingFacts.map((fact) => `- needed: ${fact.question}`) : [])].join('\n');
  return {
    uuid, summary: summaryOf(drug, decided), indicator, detail,
    source: { label: sourceLabel, topic: { system: CARD_TYPE_SYSTEM, code: 'coverage-info', display: 'Coverage Information' } },
    links: policyLink ? [{ label: 'The guideline section that decided', url: policyLink, type: 'absolute' }] : [],
  };
}
