import { describe, expect, it } from 'vitest';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { renderGuideline } from '../../src/document/render-guideline.ts';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { allDocuments } from '../support/documents.ts';
import { combineVariations, seededRandom } from '../support/layout-mutations.ts';
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

describe('round trip as a property', () => {
  it('holds for 300 synthetic documents and for seeded layout mutants of every document', () => {
    const failures: string[] = [];
    let checked = 0;
    const check = (name: string, text: string): void => {
      const tree = parseGuideline(text).document;
      if (!tree) return void failures.push(`${name}: does not parse`);
      const again = parseGuideline(renderGuideline(tree)).document;
      const difference = firstDifference(semanticTree(tree), semanticTree(again));
      if (difference) failures.push(`${name}: ${difference}`);
      checked += 1;
    };
    for (let index = 0; index < 300; index += 1) check(`synthetic ${index}`, syntheticGuideline(index).text);
    for (const source of allDocuments()) {
      for (let seed = 1; seed <= 20; seed += 1) {
        const random = seededRandom(5000 + seed);
        check(`${source.name} mutant ${5000 + seed}`, combineVariations(source.text, random, 3).text);
      }
    }
    console.log(`round trip: ${checked} documents, ${failures.length} failures`);
    expect(failures).toEqual([]);
  });
});
