import type { GuidelineDocument } from '../domain/document.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';

/** Edit distance, small inputs only (organization-name-sized words). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * The template names its organization in the header and again in the text; a near-miss spelling
 * (the seed's header says "Evolut", its body "Evolent") is worth a warning, never a rejection.
 */
export function checkOrganizationNames(document: GuidelineDocument, diagnostics: DiagnosticCollector): void {
  const organization = document.header.organization;
  if (organization.length < 4) return;
  const texts = [
    ...document.statement.paragraphs,
    ...(document.continuation ? [{ text: document.continuation.preamble, span: document.continuation.span }] : []),
    ...(document.approval ? [{ text: document.approval.committee, span: document.approval.span }] : []),
    ...document.disclaimer,
    ...document.policyHistory.map((row) => ({ text: row.items.join(' '), span: row.span })),
  ];
  const reported = new Set<string>();
  for (const { text, span } of texts) {
    for (const [word] of text.matchAll(/\b[A-Z][a-z]{3,}\b/g)) {
      if (word === organization || reported.has(word)) continue;
      if (word.slice(0, 3) !== organization.slice(0, 3) || editDistance(word, organization) > 2) continue;
      reported.add(word);
      diagnostics.warning(
        ParseCode.OrganizationNameMismatch,
        span.startLine,
        `the header names the organization "${organization}" but the text says "${word}"`,
      );
    }
  }
}
