import type { Reference, SourceSpan } from '../domain/document.ts';
import { referenceIdentity } from '../domain/reference-identity.ts';
import type { Block } from './blocks.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { trimTrailing, WHITESPACE_CHARS } from './trim-chars.ts';

const DOI = /\bdoi:\s*(10\.\d{4,9}\/\S+)/i;
const URL = /<(https?:\/\/[^>\s]+)>|(https?:\/\/\S+)/;
/** A DOI never ends in sentence punctuation; the citation's own period is not part of it. */
export function normalizeDoi(doi: string): string {
  return trimTrailing(doi, '.,;');
}

interface ArticleParts {
  readonly authors: string;
  readonly title: string;
  readonly journal: string;
  readonly rest: string;
}

/**
 * "Authors, et al. Title. *Journal*. Publication." — the journal-article citation style of the
 * template: the journal is the first *italic* run that follows a finished title sentence, the
 * authors end at the first ". " before it. Read by scanning, not by a backtracking pattern.
 */
function articleParts(citation: string): ArticleParts | null {
  // Each look-back stops at the first character that is not whitespace, so the scan stays linear.
  let journalStart = -1;
  for (let at = citation.indexOf('*'); at >= 0 && journalStart < 0; at = citation.indexOf('*', at + 1)) {
    let before = at - 1;
    while (before >= 0 && WHITESPACE_CHARS.includes(citation[before] ?? '')) before -= 1;
    if (before < at - 1 && before >= 0 && '.?!'.includes(citation[before] ?? '')) journalStart = at;
  }
  if (journalStart < 0) return null;
  const journalEnd = citation.indexOf('*', journalStart + 1);
  if (journalEnd < 0 || journalEnd === journalStart + 1) return null;
  const front = trimTrailing(citation.slice(0, journalStart), WHITESPACE_CHARS);
  let authorsEnd = -1;
  for (let at = front.indexOf('.', 1); at >= 0 && at < front.length - 2; at = front.indexOf('.', at + 1)) {
    // The front ends in the title's own punctuation, so any character after the space is a title.
    if (WHITESPACE_CHARS.includes(front[at + 1] ?? '')) {
      authorsEnd = at;
      break;
    }
  }
  if (authorsEnd < 0) return null;
  const rest = citation.slice(journalEnd + 1);
  return {
    authors: front.slice(0, authorsEnd + 1),
    title: front.slice(authorsEnd + 1).trim(),
    journal: citation.slice(journalStart + 1, journalEnd),
    rest: (rest.startsWith('.') ? rest.slice(1) : rest).trimStart(),
  };
}

export function parseReference(ordinal: number, citation: string, span: SourceSpan): Reference {
  const doiMatch = DOI.exec(citation);
  const urlMatch = URL.exec(citation);
  const article = articleParts(citation);
  const publication = article ? publicationOf(article.rest) : null;
  const yearMatch = /\b(19|20)\d{2}\b/.exec(article ? article.rest : citation);
  return {
    ordinal,
    citation,
    authors: article ? (article.authors.endsWith('et al.') ? article.authors : article.authors.slice(0, -1)) : null,
    title: article ? (article.title.endsWith('.') ? article.title.slice(0, -1) : article.title) : null,
    journal: article ? article.journal.trim() : null,
    publication,
    year: yearMatch ? Number(yearMatch[0]) : null,
    doi: doiMatch ? normalizeDoi(doiMatch[1] ?? '') : null,
    url: urlMatch ? trimTrailing(urlMatch[1] ?? urlMatch[2] ?? '', '.,;') : null,
    duplicateOf: null,
    span,
  };
}

/** "2024 Jul 25;391(4):320-333. doi: …" → "2024 Jul 25;391(4):320-333". */
function publicationOf(rest: string): string | null {
  const doiAt = rest.toLowerCase().indexOf('doi:');
  const beforeDoi = (doiAt < 0 ? rest : rest.slice(0, doiAt)).trim();
  const withoutDoi = (beforeDoi.endsWith('.') ? beforeDoi.slice(0, -1) : beforeDoi).trim();
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
