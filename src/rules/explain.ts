import type { TraceEntry } from './decide.ts';
import type { Scalar } from './expression.ts';

const RESULT_WORDS = { MET: 'met', NOT_MET: 'not met', UNKNOWN: 'unknown', NOT_EVALUATED: 'not evaluated' } as const;

/** Renders one trace entry for a person. Kept apart from evaluation: the core only records facts. */
export function explainEntry(entry: TraceEntry, factValue: (key: string) => Scalar | undefined): string {
  const read = entry.factsRead.filter((key) => !entry.missingFacts.includes(key)).map((key) => `${key} = ${String(factValue(key))}`);
  const parts = [`${entry.role} ${RESULT_WORDS[entry.result]}: ${entry.rule}`];
  if (read.length > 0) parts.push(`given ${read.join(', ')}`);
  if (entry.missingFacts.length > 0) parts.push(`missing ${entry.missingFacts.join(', ')}`);
  return parts.join('; ');
}

const OUTCOME_WORDS = {
  APPROVED: 'Approved',
  DENIED: 'Denied',
  PENDED: 'Pended for clinical review',
  INCOMPLETE: 'Incomplete: facts are missing',
  NOT_APPLICABLE: 'Not applicable to this line of business',
} as const;

export function summarize(outcome: keyof typeof OUTCOME_WORDS, deciding: readonly TraceEntry[]): string {
  const cited = deciding.slice(0, 3).map((entry) => `"${entry.citation.text.length > 90 ? `${entry.citation.text.slice(0, 87)}…` : entry.citation.text}"`);
  return cited.length > 0 ? `${OUTCOME_WORDS[outcome]}: ${cited.join('; ')}` : OUTCOME_WORDS[outcome];
}
