import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../src/compare/compare-versions.ts';
import type { GuidelineDocument } from '../../src/domain/document.ts';
import { allCriteria } from '../../src/domain/criteria.ts';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { allDocuments } from '../support/documents.ts';

/**
 * Damage suite: removing any one criterion's lines, or cutting a document after any line, gives
 * either a refusal or a document that differs from the original by exactly what was removed,
 * judged by the project's own version comparison. Never a document that says something else.
 */
const documents = allDocuments().map((source) => ({ ...source, document: parseGuideline(source.text).document as GuidelineDocument }));

describe('damage is refused or shows as exactly the removed content', () => {
  it('deleting any single criterion line', () => {
    const counts = { refused: 0, exactlyRemoved: 0, other: 0 };
    const others: string[] = [];
    for (const { name, text, document } of documents) {
      const lines = text.split('\n');
      for (const criterion of allCriteria(document)) {
        // The criterion's own lines: its bullet and any wrapped continuation, not its sub-items.
        const ownEnd = (criterion.children[0]?.span.startLine ?? criterion.span.endLine + 1) - 1;
        const damaged = lines.filter((_, index) => index + 1 < criterion.span.startLine || index + 1 > ownEnd).join('\n');
        const result = parseGuideline(damaged);
        if (!result.document) {
          counts.refused += 1;
          continue;
        }
        const changes = compareVersions(document, result.document);
        const removed = changes.length === 1 && changes[0]?.kind === 'CRITERION_REMOVED' && changes[0].subject.startsWith(criterion.key.replace(/-\d+$/, ''));
        if (removed) counts.exactlyRemoved += 1;
        else {
          counts.other += 1;
          others.push(`${name}: deleting line ${criterion.span.startLine} (${criterion.key}) gave ${JSON.stringify(changes.map((change) => [change.kind, change.subject]))}`);
        }
      }
    }
    console.log(`criterion deletions: ${JSON.stringify(counts)}`);
    expect(others).toEqual([]);
    expect(counts.exactlyRemoved).toBeGreaterThan(0);
  });

  it('cutting the document after any line', () => {
    const counts = { refused: 0, onlyTrailingReferencesMissing: 0, other: 0 };
    const others: string[] = [];
    for (const { name, text, document } of documents) {
      const lines = text.split('\n');
      for (let keep = 1; keep < lines.length; keep += 1) {
        const result = parseGuideline(lines.slice(0, keep).join('\n'));
        if (!result.document) {
          counts.refused += 1;
          continue;
        }
        // A cut right after a whole reference cannot be told from a shorter list: it must show as those references removed, nothing else.
        const changes = compareVersions(document, result.document);
        if (changes.length > 0 && changes.every((change) => change.kind === 'REFERENCE_REMOVED')) counts.onlyTrailingReferencesMissing += 1;
        else {
          counts.other += 1;
          others.push(`${name}: cut after line ${keep} gave ${JSON.stringify(changes.map((change) => [change.kind, change.subject]))}`);
        }
      }
    }
    console.log(`cuts: ${JSON.stringify(counts)}`);
    expect(others).toEqual([]);
  });

  it('a bullet that lost its marker is refused, never merged into the item above', () => {
    const counts = { refused: 0, accepted: 0 };
    const accepted: string[] = [];
    for (const { name, text } of documents) {
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        const bullet = /^( *)- (.*)$/.exec(line);
        if (!bullet) return;
        const damaged = [...lines.slice(0, index), `${bullet[1] ?? ''}${bullet[2] ?? ''}`, ...lines.slice(index + 1)].join('\n');
        if (parseGuideline(damaged).document) {
          counts.accepted += 1;
          accepted.push(`${name}: line ${index + 1} without its marker was accepted: "${line.slice(0, 70)}"`);
        } else counts.refused += 1;
      });
    }
    console.log(`bullets without their marker: ${JSON.stringify(counts)}`);
    expect(accepted).toEqual([]);
  });
});
