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
  { name: 'an indication with no scenarios', text: replaceOnce(seed, ' - As a single agent for relapsed/refractory B-cell ALL\n', '').replace(/\n - As consolidation[^\n]*/, ''), errors: [['PARSE_NO_SCENARIOS', 49]] },
  { name: 'a duplicated section', text: `${seed}\n\nREFERENCES\n\n1. Again.`, errors: [['PARSE_DUPLICATE_SECTION', 129], ['PARSE_UNRECOGNIZED_LINE', 131]] },
  { name: 'a line of business listed twice', text: replaceOnce(seed, '<input type="checkbox"/>\tMedicare Advantage', '<input type="checkbox"/>\tMedicaid'), errors: [['PARSE_DUPLICATE_LINE_OF_BUSINESS', 89]] },
];

describe('documents with errors are rejected with located, coded diagnostics', () => {
  it.each(rejected)('$name', ({ text, errors }) => {
    const result = parseGuideline(text);
    expect(result.document).toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual(errors);
  });
});

describe('content the template cannot place is refused, never kept aside', () => {
  it('an unknown section heading and its lines are errors at their lines', () => {
    const result = parseGuideline(replaceOnce(seed, 'LEGAL AND COMPLIANCE\n', 'DOSAGE AND ADMINISTRATION\n\nGive it slowly.\n\nLEGAL AND COMPLIANCE\n'));
    expect(result.document).toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual([['PARSE_UNKNOWN_SECTION', 97], ['PARSE_UNRECOGNIZED_LINE', 99]]);
  });

  it('a line that is not a code, under Codes, is an error naming it', () => {
    const result = parseGuideline(replaceOnce(seed, 'Codes\n\n- J9039', 'Codes\n\nthis line is not a code\n\n- J9039'));
    expect(result.document).toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.message])).toEqual([
      ['PARSE_MALFORMED_CODE', 81, 'line 81 is not "CODE - description": "this line is not a code"'],
    ]);
  });

  it('a paragraph among the exclusions is an error, not a lost criterion', () => {
    const result = parseGuideline(replaceOnce(seed, '- Treatment exceeds the maximum duration', 'Treatment exceeds the maximum duration'));
    expect(result.document).toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual([['PARSE_UNRECOGNIZED_LINE', 67]]);
  });

  it('a quantity a limit does not read is named with its line', () => {
    const result = parseGuideline(replaceOnce(seed, '28 mcg/day.', '28 mcg/day (150 mg in total).'));
    expect(result.document).toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line, d.message])).toEqual([
      ['PARSE_UNREAD_LIMIT', 66, 'line 66: quantity "150 mg" was not read into the limit'],
    ]);
  });

  it('a second population line is a population with its own scenarios, never a scenario', () => {
    const text = replaceOnce(seed, ' - As a single agent for relapsed/refractory B-cell ALL\n', ' - As a single agent for relapsed/refractory B-cell ALL\n- Blincyto (blinatumomab) may be used in pediatric members one month and older with CD19-positive B-cell ALL in the following scenarios:\n - As consolidation therapy\n');
    const section = parseGuideline(text).document?.indications[0];
    expect(section?.populations.map((population) => [population.text.slice(0, 48), population.groups, population.scenarios.map((scenario) => scenario.text)])).toEqual([
      ['Blincyto (blinatumomab) may be used in adult and', ['adult', 'pediatric'], [expect.stringContaining('As consolidation therapy of MRD'), 'As a single agent for relapsed/refractory B-cell ALL']],
      ['Blincyto (blinatumomab) may be used in pediatric', ['pediatric'], ['As consolidation therapy']],
    ]);
  });

  it('a population line indented as a scenario is an error', () => {
    const text = replaceOnce(seed, ' - As a single agent for relapsed/refractory B-cell ALL\n', ' - As a single agent for relapsed/refractory B-cell ALL\n - Blincyto (blinatumomab) may be used in pediatric members with B-cell ALL in the following scenarios:\n');
    expect(parseGuideline(text).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual([['PARSE_POPULATION_AS_SCENARIO', 52]]);
  });

  it('"None listed" under Contraindications is a statement, not a criterion', () => {
    const text = replaceOnce(seed, ' - Known hypersensitivity to blinatumomab or any component of the formulation.', ' - None listed in the product labeling.');
    const document = parseGuideline(text).document;
    expect(document?.contraindications).toEqual([]);
    expect(document?.contraindicationsNone).toEqual({ text: 'None listed in the product labeling.', span: { startLine: 56, endLine: 56 } });
  });

  it('an empty Contraindications group is an error', () => {
    const text = replaceOnce(seed, ' - Known hypersensitivity to blinatumomab or any component of the formulation.\n', '');
    expect(parseGuideline(text).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line])).toEqual([['PARSE_EMPTY_WARNING_GROUP', 55]]);
  });

  it('a line longer than the limit is refused before anything else is read', () => {
    const text = replaceOnce(seed, 'STATEMENT\t2', `STATEMENT${'\t'.repeat(30_000)}2`);
    expect(parseGuideline(text).diagnostics.map((d) => [d.code, d.line])).toEqual([['PARSE_LINE_TOO_LONG', 13]]);
  });
});

describe('items with markers the lexer does not know are refused, never merged', () => {
  it.each(['➤ ', '1. ', 'a) '])('an exclusion written "%s…" after one that does not end a sentence', (marker) => {
    const text = replaceOnce(seed, '- Disease progression on or after treatment with Blincyto (blinatumomab).\n- Dosing', `- Disease progression on or after treatment with Blincyto (blinatumomab)\n${marker}Dosing`);
    expect(parseGuideline(text).document).toBeNull();
  });

  it('"None, except …" is a contraindication, not a none statement', () => {
    const text = replaceOnce(seed, ' - Known hypersensitivity to blinatumomab or any component of the formulation.', ' - None, except known hypersensitivity to blinatumomab.');
    const document = parseGuideline(text).document;
    expect(document?.contraindicationsNone).toBeNull();
    expect(document?.contraindications.map((criterion) => criterion.text)).toEqual(['None, except known hypersensitivity to blinatumomab.']);
  });
});

describe('disease headings are the ones the table of contents lists', () => {
  const keytruda = shippedText('keytruda/Evolut_CG_3355-2026-05.txt');
  const scenario = ' - As a single agent for relapsed or refractory classical Hodgkin lymphoma';

  it('a Title Case wrap inside a scenario is a wrap, not a new disease section', () => {
    const wrapped = replaceOnce(keytruda, scenario, ' - As a single agent for relapsed or refractory classical\n\nHodgkin Lymphoma (cHL)');
    const document = parseGuideline(wrapped).document;
    expect(document?.indications.map((section) => section.name)).toEqual(['Melanoma', 'Non-Small Cell Lung Cancer', 'Classical Hodgkin Lymphoma']);
    expect(document?.indications[2]?.populations[0]?.scenarios[0]?.text).toBe('As a single agent for relapsed or refractory classical Hodgkin Lymphoma (cHL)');
  });

  it('a heading the table of contents does not list is refused, never glued onto the scenario above', () => {
    const renamed = replaceOnce(keytruda, '\nClassical Hodgkin Lymphoma (cHL)\n', '\nClassical Hodgkin lymphoma\n');
    const result = parseGuideline(renamed);
    expect(result.document).toBeNull();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toContain('PARSE_TOC_MISMATCH');
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


  it('HTML in a text field is read as text, never kept as markup', () => {
    const result = parseGuideline(replaceOnce(seed, '- Disease progression on', '- <script>alert(1)</script>Disease progression on'));
    expect(result.document?.exclusions[0]?.text).toBe('alert(1)Disease progression on or after treatment with Blincyto (blinatumomab).');
  });
});
