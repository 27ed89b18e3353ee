import { describe, expect, it } from 'vitest';
import { compareVersions, similarity } from '../../src/compare/compare-versions.ts';
import type { GuidelineDocument } from '../../src/domain/document.ts';
import { formatYearMonth } from '../../src/domain/document.ts';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { fixtureText, shippedText } from '../support/documents.ts';

function parse(text: string): GuidelineDocument {
  const { document } = parseGuideline(text);
  if (!document) throw new Error('document must parse');
  return document;
}
const january = parse(shippedText('blincyto/Evolut_CG_3258-2026-01.txt'));
const july = parse(fixtureText('blincyto-2026-07.txt'));

describe('compareVersions', () => {
  it('reports exactly what the July revision changed, and nothing else', () => {
    const changes = compareVersions(january, july).map(({ kind, section, subject, before, after }) => ({ kind, section, subject, before, after }));
    expect(changes).toEqual([
      { kind: 'METADATA_CHANGED', section: 'HEADER', subject: 'lastRevisedDate', before: '2026-01', after: '2026-07' },
      { kind: 'METADATA_CHANGED', section: 'HEADER', subject: 'implementationDate', before: '2026-01', after: '2026-07' },
      { kind: 'CRITERION_ADDED', section: 'INDICATIONS', subject: 'IND-ffa1c3fba6', before: null, after: 'As a single agent for CD19-positive B-cell ALL in first or second complete remission with MRD positive disease (MRD ≥ 0.1%)' },
      {
        kind: 'CRITERION_CHANGED', section: 'EXCLUSIONS', subject: 'EXC-beb2bcf92e → EXC-71e0e4f783',
        before: 'Treatment exceeds the maximum duration limit of 4 cycles when used as induction and/or consolidation therapy.',
        after: 'Treatment exceeds the maximum duration limit of 5 cycles when used as induction and/or consolidation therapy.',
      },
      { kind: 'LIMIT_LOOSENED', section: 'EXCLUSIONS', subject: 'EXC-71e0e4f783', before: '4 cycle (induction and/or consolidation)', after: '5 cycle (induction and/or consolidation)' },
      { kind: 'LINE_OF_BUSINESS_NOW_APPLICABLE', section: 'LINES_OF_BUSINESS', subject: 'CHIP', before: 'false', after: 'true' },
      {
        kind: 'POLICY_HISTORY_ADDED', section: 'POLICY_HISTORY', subject: '2026-07', before: null,
        after: 'Updated maximum duration limit; Added scenario for MRD positive disease in first or second complete remission; Added CHIP line of business; Updated references',
      },
      {
        kind: 'REFERENCE_REMOVED', section: 'REFERENCES', subject: '10.1038/leu.2017.306', after: null,
        before: 'Topp MS, et al. Blinatumomab retreatment after relapse in patients with relapsed/refractory B-precursor acute lymphoblastic leukemia. *Leukemia*. 2018 Feb;32(2):562-565. doi: 10.1038/leu.2017.306.',
      },
    ]);
  });

  it('gives a word-level diff of a changed criterion', () => {
    const changed = compareVersions(january, july).find((change) => change.kind === 'CRITERION_CHANGED');
    expect(changed?.wordDiff?.filter((part) => part.op !== 'KEPT')).toEqual([{ op: 'REMOVED', text: '4' }, { op: 'ADDED', text: '5' }]);
  });

  it('the reverse comparison reports the limit as tightened and the reference as added', () => {
    const kinds = compareVersions(july, january).map((change) => change.kind);
    expect(kinds).toContain('LIMIT_TIGHTENED');
    expect(kinds).toContain('REFERENCE_ADDED');
    expect(kinds).toContain('LINE_OF_BUSINESS_NO_LONGER_APPLICABLE');
    expect(kinds).toContain('CRITERION_REMOVED');
  });

  it('reports a removed history row and edited, added or removed statement and disclaimer paragraphs, each with its text', () => {
    const text = shippedText('blincyto/Evolut_CG_3258-2026-01.txt');
    const base = parse(text);
    const statement = base.statement.paragraphs[0]?.text as string;
    const history = base.policyHistory[0];
    expect(statement && base.disclaimer[0] && history).toBeTruthy();
    // A paragraph added after the disclaimer's last line.
    const lines = text.split('\n');
    lines.splice(base.disclaimer[0]?.span.endLine ?? 0, 0, '', 'This guideline does not replace clinical judgment.');
    const edited = parse(lines.join('\n').replace(statement, statement.replace(/\bthe\b/, 'the revised')));
    // The oldest history row is dropped from the document (an edited history an auditor must see).
    const withoutHistory = parse(text.split('\n').filter((_line, index) => index + 1 < (history?.span.startLine ?? 0) || index + 1 > (history?.span.endLine ?? 0)).join('\n'));
    const kinds = (after: GuidelineDocument) => compareVersions(base, after).map((change) => change.kind);
    expect(kinds(edited)).toEqual(['STATEMENT_PARAGRAPH_CHANGED', 'DISCLAIMER_PARAGRAPH_ADDED']);
    const changed = compareVersions(base, edited)[0];
    expect(changed?.wordDiff?.filter((part) => part.op !== 'KEPT')).toEqual([{ op: 'ADDED', text: 'revised ' }]);
    expect(compareVersions(edited, base).map((change) => change.kind)).toEqual(['STATEMENT_PARAGRAPH_CHANGED', 'DISCLAIMER_PARAGRAPH_REMOVED']);
    expect(compareVersions(base, withoutHistory).filter((change) => change.section === 'POLICY_HISTORY')).toEqual([
      expect.objectContaining({ kind: 'POLICY_HISTORY_REMOVED', subject: formatYearMonth((history as { date: GuidelineDocument['policyHistory'][number]['date'] }).date), after: null }),
    ]);
  });

  it('a version compared with itself has no changes', () => {
    expect(compareVersions(january, january)).toEqual([]);
  });

  it('moving a criterion or renumbering references is not a change', () => {
    const reordered = shippedText('blincyto/Evolut_CG_3258-2026-01.txt')
      .replace(
        '- Disease progression on or after treatment with Blincyto (blinatumomab).\n- Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day.',
        '- Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day.\n- Disease progression on or after treatment with Blincyto (blinatumomab).',
      )
      .replace(/^1\. Litzow/m, '99. Litzow');
    expect(compareVersions(january, parse(reordered))).toEqual([]);
  });

  it('similarity is the share of shared words', () => {
    expect(similarity('a b c d', 'a b c e')).toBeCloseTo(3 / 5);
    expect(similarity('x', 'y')).toBe(0);
  });
});
