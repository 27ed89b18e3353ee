import { describe, expect, it } from 'vitest';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { renderGuideline } from '../../src/document/render-guideline.ts';
import { allDocuments } from '../support/documents.ts';
import { firstDifference, semanticTree } from '../support/semantic-tree.ts';

/** Render → parse is the identity on what a document says: the model holds everything the template can say. */
describe('round trip through the canonical renderer', () => {
  for (const source of allDocuments()) {
    it(`${source.name}: parse(render(tree)) is the same tree, and rendering is stable`, () => {
      const original = parseGuideline(source.text).document;
      if (!original) throw new Error(`${source.name} does not parse`);
      const rendered = renderGuideline(original);
      const reparsed = parseGuideline(rendered);
      expect(reparsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(firstDifference(semanticTree(original), semanticTree(reparsed.document))).toBeNull();
      expect(renderGuideline(reparsed.document ?? original)).toBe(rendered);
    });
  }
});
