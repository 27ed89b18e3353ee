import { describe, expect, it } from 'vitest';
import { parseBillingUnit, parseCodeLine } from '../../src/document/coding.ts';
import { parseYearMonth } from '../../src/document/dates.ts';
import { checkboxCell, inlineText, listCellItems } from '../../src/document/inline-html.ts';
import { readLimits } from '../../src/document/limits.ts';
import { splitCells } from '../../src/document/lexer.ts';
import { parseReference } from '../../src/document/references.ts';
import { stableKey } from '../../src/document/stable-key.ts';

const span = { startLine: 1, endLine: 1 };

describe('quantitative limits', () => {
  it.each([
    ['Dosing exceeds single dose limit of Blincyto (blinatumomab) 28 mcg/day.', 'MAX_DOSE', 28, 'mcg', ['day'], null],
    ['Dosing exceeds single dose limit of Besponsa (inotuzumab ozogamicin) 0.8 mg/m2 per dose.', 'MAX_DOSE', 0.8, 'mg', ['m2', 'dose'], null],
    ['Dosing exceeds single dose limit of X 375 mg/m².', 'MAX_DOSE', 375, 'mg', ['m2'], null],
    ['Dosing exceeds single dose limit of X 1,000 mg per dose.', 'MAX_DOSE', 1000, 'mg', ['dose'], null],
    ['Dosing exceeds single dose limit of X 8 mg/kg.', 'MAX_DOSE', 8, 'mg', ['kg'], null],
    ['Treatment exceeds the maximum duration limit of 4 cycles when used as induction and/or consolidation therapy.', 'MAX_DURATION', 4, 'cycle', [], 'induction and/or consolidation'],
    ['Treatment exceeds the maximum duration limit of 12 months when used as maintenance therapy.', 'MAX_DURATION', 12, 'month', [], 'maintenance'],
  ])('%s', (text, kind, amount, unit, per, qualifier) => {
    expect(readLimits(text, true)).toMatchObject({ limits: [{ kind, amount, unit, per, qualifier, cap: null, interval: null, alternative: false }], problems: [] });
  });

  it('a weight-based dose with a cap and an interval keeps all three', () => {
    expect(readLimits('Dosing exceeds single dose limit of Adcetris (brentuximab vedotin) 1.8 mg/kg up to a maximum of 180 mg every 3 weeks.', true).limits).toEqual([{
      kind: 'MAX_DOSE', amount: 1.8, unit: 'mg', per: ['kg'], cap: { amount: 180, unit: 'mg' }, interval: { amount: 3, unit: 'week' },
      qualifier: null, condition: null, alternative: false, sourceText: '1.8 mg/kg up to a maximum of 180 mg every 3 weeks',
    }]);
  });

  it('a condition is kept as written', () => {
    expect(readLimits('Dosing exceeds single dose limit of Yervoy (ipilimumab) 1 mg/kg every 3 weeks when used in combination with nivolumab.', true).limits[0]).toMatchObject({
      amount: 1, per: ['kg'], interval: { amount: 3, unit: 'week' }, condition: 'when used in combination with nivolumab',
    });
  });

  it('a limit counted in doses is a duration', () => {
    expect(readLimits('Treatment exceeds the maximum duration limit of 12 doses when used in combination with doxorubicin, vinblastine, and dacarbazine.', true).limits).toMatchObject([
      { kind: 'MAX_DURATION', amount: 12, unit: 'dose', condition: 'when used in combination with doxorubicin, vinblastine, and dacarbazine' },
    ]);
  });

  it('a two-part limit gives the general limit and its alternative', () => {
    expect(readLimits('Treatment exceeds the maximum duration limit of 6 cycles, or 3 cycles for members proceeding to hematopoietic stem cell transplant.', true).limits).toMatchObject([
      { amount: 6, unit: 'cycle', condition: null, alternative: false },
      { amount: 3, unit: 'cycle', condition: 'for members proceeding to hematopoietic stem cell transplant', alternative: true },
    ]);
    expect(readLimits('Treatment exceeds the maximum duration limit of 24 months, or 12 months when used as adjuvant therapy.', true).limits).toMatchObject([
      { amount: 24, unit: 'month', qualifier: null, alternative: false },
      { amount: 12, unit: 'month', qualifier: 'adjuvant', alternative: true },
    ]);
  });

  it.each([
    ['Dosing exceeds single dose limit of X 1.8 mg/kg up to a maximum of 180 mg every 3 weeks, not to exceed 16 cycles.', 'quantity "16 cycles" was not read into the limit'],
    ['Dosing exceeds single dose limit of X 28 mcg/day in adults and 15 mcg/m2/day in children.', 'quantity "15 mcg" was not read into the limit'],
    ['Dosing exceeds single dose limit of X 10 mg/kg every 2 weeks up to 1,000 mg.', 'quantity "1,000 mg" was not read into the limit'],
    ['Dosing exceeds 28 mcg/day.', 'quantity "28 mcg" is not stated as "dose limit of …" or "duration limit of …", so it cannot be read into a limit'],
    ['Dosing above 28 mcg/day is not covered.', 'quantity "28 mcg" is not stated as "dose limit of …" or "duration limit of …", so it cannot be read into a limit'],
  ])('a quantity the grammar cannot place is refused, never dropped: %s', (text, problem) => {
    expect(readLimits(text, true)).toEqual({ limits: [], problems: [problem] });
  });

  it('text without a limit yields none', () => {
    expect(readLimits('Disease progression on or after treatment with Blincyto (blinatumomab).', true)).toEqual({ limits: [], problems: [] });
    expect(readLimits('Prior treatment at the maximum dose of anthracyclines.', true)).toEqual({ limits: [], problems: [] });
  });

  it('an exclusion detail with a number but no limit wording is evidence text, not a limit', () => {
    expect(readLimits('The recommended survival benefit for OS and PFS should be at least 3 months.', false)).toEqual({ limits: [], problems: [] });
  });

  it('a word that happens to name an object property is never a unit, and a number without a unit is refused', () => {
    expect(readLimits('Dosing exceeds single dose limit of X 28 constructor.', true)).toEqual({
      limits: [], problems: ['number "28" in a limit has no unit the limit grammar reads (mcg, mg, g, mL, units; cycles, doses, days, weeks, months, years)'],
    });
  });
});

describe('cells and codes', () => {
  it('a tab or a run of two or more spaces separates cells; one space does not', () => {
    expect(splitCells('Original Date: March 2015\tLast Revised Date: January 2026   Implementation Date: January 2026\t\t')).toEqual([
      'Original Date: March 2015', 'Last Revised Date: January 2026', 'Implementation Date: January 2026',
    ]);
  });
  it.each([' - ', ' – ', ' — '])('a code and its description may be separated by "%s"', (dash) => {
    expect(parseCodeLine(1, `J9039${dash}Injection, blinatumomab, 1 microgram`, span)).toMatchObject({ code: 'J9039', description: 'Injection, blinatumomab, 1 microgram' });
  });
});

describe('billing units', () => {
  it.each([
    ['Injection, blinatumomab, 1 microgram', 1, 'mcg'],
    ['Injection, inotuzumab ozogamicin, 0.1 mg', 0.1, 'mg'],
    ['Injection, cetuximab, 10 mg', 10, 'mg'],
    ['Injection, examplimab-abcd, per vial', 1, 'vial'],
    ['Injection, examplimab and hyaluronidase, 5 units', 5, 'unit'],
  ])('%s', (description, amount, unit) => {
    expect(parseBillingUnit(description)).toMatchObject({ amount, unit });
  });
  it('no unit when the description has none', () => expect(parseBillingUnit('Unclassified drugs')).toBeNull());
});

describe('dates', () => {
  it.each([
    ['January 2026', { year: 2026, month: 1 }],
    ['Sept 2025', { year: 2025, month: 9 }],
    ['Smarch 2026', null],
    ['January 26', null],
    ['2026-01', null],
  ])('%s', (text, expected) => expect(parseYearMonth(text)).toEqual(expected));
});

describe('inline HTML', () => {
  it('drops tags and decodes entities', () => expect(inlineText('<u>Applicable Codes</u> &amp; <i>more</i>')).toBe('Applicable Codes & more'));
  it('keeps markdown autolinks as URLs', () => expect(inlineText('see <https://example.org/a.pdf>.')).toBe('see https://example.org/a.pdf.'));
  it('reads checkboxes by their checked attribute', () => {
    expect(checkboxCell('<input checked="" type="checkbox"/>')).toEqual({ checked: true });
    expect(checkboxCell('<input type="checkbox"/>')).toEqual({ checked: false });
    expect(checkboxCell('<input type="text"/>')).toBeNull();
  });
  it('splits an unclosed bullet list cell', () => {
    expect(listCellItems('<ul style="list-style-type: none"> • One • Two ')).toEqual(['One', 'Two']);
    expect(listCellItems('<ul><li>One</li><li>Two</li></ul>')).toEqual(['One', 'Two']);
  });
});

describe('references', () => {
  it('parses an article citation and normalizes the DOI', () => {
    expect(parseReference(1, 'Litzow MR, et al. Blinatumomab for MRD-Negative ALL in Adults. *N Engl J Med*. 2024 Jul 25;391(4):320-333. doi: 10.1056/NEJMoa2312948.', span)).toMatchObject({
      authors: 'Litzow MR, et al.',
      title: 'Blinatumomab for MRD-Negative ALL in Adults',
      journal: 'N Engl J Med',
      publication: '2024 Jul 25;391(4):320-333',
      year: 2024,
      doi: '10.1056/NEJMoa2312948',
      url: null,
    });
  });
  it('keeps a compendium citation whole', () => {
    expect(parseReference(9, 'Clinical Pharmacology Elsevier Gold Standard 2026.', span)).toMatchObject({ authors: null, journal: null, year: 2026 });
  });
});

describe('stable keys', () => {
  it('ignore case, spacing and final punctuation', () => {
    expect(stableKey('EXCLUSION', '', 'Dose above 28 mcg/day.')).toBe(stableKey('EXCLUSION', '', '  dose above  28 MCG/day'));
  });
  it('differ by kind and by text', () => {
    expect(stableKey('EXCLUSION', '', 'x')).not.toBe(stableKey('CONTRAINDICATION', '', 'x'));
    expect(stableKey('EXCLUSION', '', '4 cycles')).not.toBe(stableKey('EXCLUSION', '', '5 cycles'));
  });
});

describe('limit readings found in review', () => {
  it('words before "dose limit of" are kept as the qualifier', () => {
    expect(readLimits('Dosing exceeds daily dose limit of X 28 mcg.', true).limits[0]).toMatchObject({ amount: 28, unit: 'mcg', qualifier: 'daily' });
    expect(readLimits('Dosing exceeds subsequent weekly dose limit of Erbitux (cetuximab) 250 mg/m².', true).limits[0]).toMatchObject({ amount: 250, per: ['m2'], qualifier: 'subsequent weekly' });
  });
  it.each([
    ['Dosing exceeds single dose limit of X .5 mg/kg.'],
    ['Dosing exceeds single dose limit of X 1,5 mg/kg.'],
    ['Dosing exceeds single dose limit of X 2 x 200 mg.'],
    ['Treatment exceeds the maximum duration limit of four cycles.'],
    ['Dosing exceeds single dose limit of X 2 mg/kg up to a maximum of 200 mg per day.'],
  ])('is refused, never read in part: %s', (text) => {
    const reading = readLimits(text, true);
    expect(reading.limits).toEqual([]);
    expect(reading.problems.length).toBeGreaterThan(0);
  });
  it('checked="false" is not read as either state', () => expect(checkboxCell('<input type="checkbox" checked="false"/>')).toBeNull());
});
