import { createHash } from 'node:crypto';
import type { CriterionKind } from '../domain/document.ts';
import { trimTrailing } from './trim-chars.ts';

const PREFIX: Readonly<Record<CriterionKind, string>> = {
  CONTINUATION_CONDITION: 'CONT',
  INDICATION_SCENARIO: 'IND',
  CONTRAINDICATION: 'CI',
  BOXED_WARNING: 'BW',
  WARNING: 'WARN',
  EXCLUSION: 'EXC',
  EXCLUSION_DETAIL: 'EXD',
};

/** Case, spacing and final punctuation do not change what a criterion says. */
export function normalizeCriterionText(text: string): string {
  return trimTrailing(text.toLowerCase().replace(/\s+/g, ' '), ' .;:,').trim();
}

/**
 * A criterion's key is a hash of its kind, its scope (the disease section for scenarios) and its
 * normalized text: an unchanged criterion keeps its key in every revision, whatever its position.
 */
export function stableKey(kind: CriterionKind, scope: string, text: string): string {
  const digest = createHash('sha256').update(`${kind}\n${scope.toLowerCase()}\n${normalizeCriterionText(text)}`).digest('hex');
  return `${PREFIX[kind]}-${digest.slice(0, 10)}`;
}
