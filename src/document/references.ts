import type { Reference, SourceSpan } from '../domain/document.ts';
import { referenceIdentity } from '../domain/reference-identity.ts';
import type { Block } from './blocks.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';

const DOI = /\bdoi:\s*(10\.\d{4,9}\/\S+)/i;
const URL = /<(https?:\/\/[^>\s]+)>|(https?:\/\/\S+)/;
/** "Authors, et al. Title. *Journal*. Publication." — the journal-article citation style of the template. */
const ARTICLE = /^(.+?(?:et al\.|\.))\s+(.+?[.?!])\s+\*([^*]+)\*\.?\s*(.*)$/;

/** A DOI never ends in sentence punctuation; the citation's own period is not part of it. */
export function normalizeDoi(doi: string): string {
  return doi.replace(/[.,;]+$/, '');
}

export function parseReference(ordinal: number, citation: string, span: SourceSpan): Reference {
  const doiMatch = DOI.exec(citation);
  const urlMatch = URL.exec(citation);
  const article = ARTICLE.exec(citation);
  const publication = article ? publicationOf(article[4] ?? '') : null;
  const yearMatch = /\b(19|20)\d{2}\b/.exec(article ? (article[4] ?? '') : citation);
  return {
    ordinal,
    citation,
    authors: article ? (article[1] ?? '').replace(/(?<!et al)\.$/, '') : null,
    title: article ? (article[2] ?? '').replace(/\.$/, '') : null,
    journal: article ? (article[3] ?? '').trim() : null,
    publication,
    year: yearMatch ? Number(yearMatch[0]) : null,
    doi: doiMatch ? normalizeDoi(doiMatch[1] ?? '') : null,
    url: urlMatch ? (urlMatch[1] ?? urlMatch[2] ?? '').replace(/[.,;]+$/, '') : null,
    duplicateOf: null,
    span,
  };
}

/** "2024 Jul 25;391(4):320-333. doi: …" → "2024 Jul 25;391(4):320-333". */
function publicationOf(rest: string): string | null {
  const withoutDoi = rest.replace(/\s*doi:.*$/i, '').replace(/\.$/, '').trim();
  return withoutDoi === '' ? null : withoutDoi;
}

/** Flags repeats by DOI, else by normalized citation; both copies stay, the later one points back. */
export function markDuplicates(references: readonly Reference[], diagnostics: DiagnosticCollector): Reference[] {
  const firstByIdentity = new Map<string, Reference>();
  return references.map((reference) => {
    const identity = referenceIdentity(reference);
    const first = firstByIdentity.get(identity);
    if (!first) {
      firstByIdentity.set(identity, reference);
      return reference;
    }
    diagnostics.warning(
      ParseCode.DuplicateReference,
      reference.span.startLine,
      `reference ${reference.ordinal} repeats reference ${first.ordinal}`,
    );
    return { ...reference, duplicateOf: first.ordinal };
  });
}


export function checkNumbering(references: readonly Reference[], diagnostics: DiagnosticCollector): void {
  references.forEach((reference, index) => {
    if (reference.ordinal !== index + 1) {
      diagnostics.warning(ParseCode.ReferenceNumbering, reference.span.startLine, `reference numbered ${reference.ordinal} is entry ${index + 1}`);
    }
  });
}

/** REFERENCES: "N. citation" paragraphs; a wrapped line continues the citation above it. */
export function parseReferences(blocks: readonly Block[], headingLine: number, diagnostics: DiagnosticCollector): Reference[] {
  const parsed: Reference[] = [];
  for (const block of blocks) {
    const match = block.kind === 'paragraph' ? /^(\d{1,4})\.\s(.+)$/.exec(block.text) : null;
    if (!match) {
      diagnostics.error(ParseCode.MalformedReference, block.span.startLine, `line ${block.span.startLine} is not a numbered reference "N. citation": "${block.text.slice(0, 80)}"`);
      continue;
    }
    parsed.push(parseReference(Number(match[1]), match[2] ?? '', block.span));
  }
  if (blocks.length === 0) diagnostics.error(ParseCode.Truncated, headingLine, 'REFERENCES lists nothing: the document looks truncated');
  checkNumbering(parsed, diagnostics);
  return markDuplicates(parsed, diagnostics);
}
