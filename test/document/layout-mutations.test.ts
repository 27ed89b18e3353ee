import { describe, expect, it } from 'vitest';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { allDocuments } from '../support/documents.ts';
import { combineVariations, LAYOUT_VARIATIONS, seededRandom } from '../support/layout-mutations.ts';
import { firstDifference, semanticTree } from '../support/semantic-tree.ts';

/**
 * Metamorphic suite: every tolerated layout variation of every shipped and fixture document, alone
 * and in seeded random combinations, must read as the identical semantic tree (spans aside). A
 * refusal fails too: each variation here is one a careful reader sees through.
 * Reproduce one case: the failure names the document, the variations and the seed.
 */
const SEEDS_PER_VARIATION = 3;
const COMBINATIONS_PER_DOCUMENT = Number(process.env['MUTATION_COMBINATIONS'] ?? 60);
const documents = allDocuments().map((document) => ({ ...document, tree: semanticTree(parseGuideline(document.text).document) }));

type Outcome = 'identical' | 'refused' | 'different';
interface Tally { identical: number; refused: number; different: number; notApplicable: number }

function judge(text: string, expected: unknown): { outcome: Outcome; detail: string } {
  const result = parseGuideline(text);
  if (!result.document) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').slice(0, 3).map((d) => `${d.line}: ${d.code} ${d.message}`);
    return { outcome: 'refused', detail: errors.join(' | ') };
  }
  const difference = firstDifference(expected, semanticTree(result.document));
  return difference ? { outcome: 'different', detail: difference } : { outcome: 'identical', detail: '' };
}

function report(title: string, tallies: Map<string, Tally>): void {
  const rows = [...tallies.entries()].map(([name, t]) => `${name.padEnd(34)} ${String(t.identical).padStart(9)} ${String(t.refused).padStart(8)} ${String(t.different).padStart(10)} ${String(t.notApplicable).padStart(6)}`);
  console.log(`${title}\n${'class'.padEnd(34)} ${'identical'.padStart(9)} ${'refused'.padStart(8)} ${'different'.padStart(10)} ${'n/a'.padStart(6)}\n${rows.join('\n')}`);
}

describe('every tolerated layout variation reads as the same document', () => {
  it(`each of ${LAYOUT_VARIATIONS.length} variations alone, on ${documents.length} documents, ${SEEDS_PER_VARIATION} seeds each`, () => {
    const byGroup = new Map<string, Tally>();
    const failures: string[] = [];
    for (const variation of LAYOUT_VARIATIONS) {
      const tally = byGroup.get(variation.group) ?? { identical: 0, refused: 0, different: 0, notApplicable: 0 };
      byGroup.set(variation.group, tally);
      for (const document of documents) {
        for (let seed = 1; seed <= SEEDS_PER_VARIATION; seed += 1) {
          const text = variation.apply(document.text, seededRandom(seed));
          if (text === null) {
            tally.notApplicable += 1;
            continue;
          }
          const { outcome, detail } = judge(text, document.tree);
          tally[outcome] += 1;
          if (outcome !== 'identical') failures.push(`${document.name} × ${variation.name} (seed ${seed}): ${outcome}: ${detail}`);
        }
      }
    }
    report('single variations, by class', byGroup);
    expect(failures).toEqual([]);
  });

  it(`random combinations of 2 to 5 variations, ${COMBINATIONS_PER_DOCUMENT} per document (seeded)`, () => {
    const tally: Tally = { identical: 0, refused: 0, different: 0, notApplicable: 0 };
    const failures: string[] = [];
    for (const document of documents) {
      for (let index = 0; index < COMBINATIONS_PER_DOCUMENT; index += 1) {
        const seed = 1000 + index;
        const random = seededRandom(seed);
        const { text, applied } = combineVariations(document.text, random, 2 + Math.floor(random() * 4));
        const { outcome, detail } = judge(text, document.tree);
        tally[outcome] += 1;
        if (outcome !== 'identical') failures.push(`${document.name} × [${applied.join(', ')}] (seed ${seed}): ${outcome}: ${detail}`);
      }
    }
    report('combinations', new Map([['all', tally]]));
    expect(failures).toEqual([]);
  });

  it('the comparison is not blind: edits of content are never read as the same document', () => {
    const seed = documents.find((document) => document.name === 'Evolut_CG_3258-2026-01');
    if (!seed) throw new Error('seed document missing');
    const edits: [string, (text: string) => string][] = [
      ['a dose digit', (text) => text.replace('28 mcg/day', '29 mcg/day')],
      ['a sub-bullet promoted to a top bullet', (text) => text.replace(' - Known hypersensitivity', '- Known hypersensitivity')],
      ['a checkbox flipped', (text) => text.replace('<input type="checkbox"/>\tCHIP', '<input checked="" type="checkbox"/>\tCHIP')],
      ['a word of a scenario', (text) => text.replace('As a single agent for relapsed', 'As a single agent for untreated')],
      ['a sentence end that splits a wrapped warning', (text) => text.replace('neurotoxicity\n\nsyndrome', 'neurotoxicity.\n\nsyndrome')],
      ['a scenario moved to another population', (text) => text.replace(' - As a single agent for relapsed/refractory B-cell ALL', '- Blincyto (blinatumomab) may be used in adult members with B-cell ALL in the following scenarios:\n - As a single agent for relapsed/refractory B-cell ALL')],
      ['a history date', (text) => text.replace('January 2025\t', 'February 2025\t')],
      ['a reference number dropped', (text) => text.replace('\n3. Kantarjian', '\nKantarjian')],
    ];
    const outcomes = edits.map(([name, edit]) => {
      const text = edit(seed.text);
      if (text === seed.text) throw new Error(`edit "${name}" did not apply`);
      return [name, judge(text, seed.tree).outcome] as const;
    });
    console.log(`content edits: ${outcomes.map(([name, outcome]) => `${name} → ${outcome}`).join('; ')}`);
    expect(outcomes.filter(([, outcome]) => outcome === 'identical')).toEqual([]);
  });
});
