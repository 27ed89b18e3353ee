import { describe, expect, it } from 'vitest';
import type { GuidelineDocument, SourceSpan } from '../../src/domain/document.ts';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { splitLines } from '../../src/document/source-lines.ts';
import { allDocuments } from '../support/documents.ts';

/** Every span anywhere in the tree: walks objects generically so a new node kind cannot be forgotten. */
function collectSpans(value: unknown, out: SourceSpan[] = []): SourceSpan[] {
  if (Array.isArray(value)) value.forEach((item) => collectSpans(item, out));
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['startLine'] === 'number' && typeof record['endLine'] === 'number') out.push(record as unknown as SourceSpan);
    Object.values(record).forEach((item) => collectSpans(item, out));
  }
  return out;
}

describe('line coverage', () => {
  for (const source of allDocuments()) {
    it(`${source.name}: every non-blank line belongs to a recognized node`, () => {
      const { document, diagnostics } = parseGuideline(source.text);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const tree = document as GuidelineDocument;
      expect(tree.unrecognized).toEqual([]);
      const covered = new Set<number>();
      for (const span of collectSpans(tree)) for (let line = span.startLine; line <= span.endLine; line += 1) covered.add(line);
      const uncovered = splitLines(source.text).filter((line) => line.text.trim() !== '' && !covered.has(line.number));
      expect(uncovered).toEqual([]);
    });
  }
});
