import { describe, expect, it } from 'vitest';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { shippedText } from '../support/documents.ts';

const seed = shippedText('blincyto/Evolut_CG_3258-2026-01.txt');

function cutFrom(text: string, marker: string): string {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`marker not in seed: ${marker}`);
  return text.slice(0, at);
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`not in seed: ${from}`);
  return text.replace(from, to);
}

/** Each broken variant of the seed must be rejected with exactly these error codes, at these lines. */
const rejected: { name: string; text: string; errors: [code: string, line: number][] }[] = [
  { name: 'an empty document', text: '   \n\n', errors: [['PARSE_EMPTY_DOCUMENT', 1]] },
  { name: 'binary content', text: `${seed.slice(0, 200)}\u0000\u0001\u0002`, errors: [['PARSE_BINARY_CONTENT', 8]] },
  { name: 'no guideline number', text: replaceOnce(seed, 'Guideline Number: Evolut_CG_3258', 'Guideline Number: '), errors: [['PARSE_MISSING_GUIDELINE_NUMBER', 7]] },
  { name: 'no dates line', text: replaceOnce(seed, 'Original Date: March 2015\tLast Revised Date: January 2026\tImplementation Date: January 2026', ''), errors: [['PARSE_MISSING_DATE', 5], ['PARSE_MISSING_DATE', 5], ['PARSE_MISSING_DATE', 5]] },
  { name: 'an impossible month', text: replaceOnce(seed, 'Implementation Date: January 2026', 'Implementation Date: Smarch 2026'), errors: [['PARSE_INVALID_DATE', 9]] },
  { name: 'a revision before the original', text: replaceOnce(seed, 'Last Revised Date: January 2026', 'Last Revised Date: January 2011'), errors: [['PARSE_DATE_ORDER', 9]] },
  { name: 'a malformed title', text: replaceOnce(seed, 'Evolut Clinical Guideline 3258 for Blincyto™ (blinatumomab)', 'Blincyto'), errors: [['PARSE_MALFORMED_TITLE', 5]] },
  {
    name: 'a truncated document (cut inside the exclusions)', text: cutFrom(seed, '- Treatment exceeds'),
    errors: [['PARSE_MISSING_SECTION', 63], ['PARSE_MISSING_SECTION', 63], ['PARSE_MISSING_SECTION', 63], ['PARSE_MISSING_SECTION', 63]],
  },
  { name: 'a document cut inside its last reference', text: seed.slice(0, seed.indexOf('Drug Shortages and Discontinuations')), errors: [['PARSE_TRUNCATED', 127]] },
  { name: 'no codes', text: replaceOnce(seed, '- J9039 - Injection, blinatumomab, 1 microgram', ''), errors: [['PARSE_NO_CODES', 77]] },
  { name: 'no lines of business', text: seed.replace(/<input[^\n]*\n/g, ''), errors: [['PARSE_NO_LINES_OF_BUSINESS', 77]] },
  { name: 'an indication with no scenarios', text: replaceOnce(seed, ' - As a single agent for relapsed/refractory B-cell ALL\n', '').replace(/\n - As consolidation[^\n]*/, ''), errors: [['PARSE_NO_SCENARIOS', 47]] },
  { name: 'a duplicated section', text: `${seed}\n\nREFERENCES\n\n1. Again.`, errors: [['PARSE_DUPLICATE_SECTION', 129]] },
  { name: 'a line of business listed twice', text: replaceOnce(seed, '<input type="checkbox"/>\tMedicare Advantage', '<input type="checkbox"/>\tMedicaid'), errors: [['PARSE_DUPLICATE_LINE_OF_BUSINESS', 89]] },
];

describe('documents with errors are rejected with located, coded diagnostics', () => {
  it.each(rejected)('$name', ({ text, errors }) => {
    const result = parseGuideline(text);
    expect(result.document).toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual(errors);
  });
});

describe('oddities are warnings that do not block', () => {
  it('the seed itself: organization misspelling and a duplicate reference', () => {
    const result = parseGuideline(seed);
    expect(result.document).not.toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === 'warning').map((d) => [d.code, d.line])).toEqual([
      ['PARSE_ORGANIZATION_NAME_MISMATCH', 35],
      ['PARSE_DUPLICATE_REFERENCE', 118],
    ]);
    expect(result.document?.references[5]?.duplicateOf).toBe(3);
  });

  it('an unknown section heading keeps its lines and warns', () => {
    const result = parseGuideline(replaceOnce(seed, 'LEGAL AND COMPLIANCE\n', 'DOSAGE AND ADMINISTRATION\n\nGive it slowly.\n\nLEGAL AND COMPLIANCE\n'));
    expect(result.document?.unrecognized.map((p) => p.text)).toEqual(['DOSAGE AND ADMINISTRATION', 'Give it slowly.']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['PARSE_UNKNOWN_SECTION', 'PARSE_UNRECOGNIZED_LINE']));
  });

  it('HTML in a text field is read as text, never kept as markup', () => {
    const result = parseGuideline(replaceOnce(seed, '- Disease progression on', '- <script>alert(1)</script>Disease progression on'));
    expect(result.document?.exclusions[0]?.text).toBe('alert(1)Disease progression on or after treatment with Blincyto (blinatumomab).');
  });
});
