import { describe, expect, it } from 'vitest';
import { parseBillingUnit } from '../../src/document/codes.ts';
import { parseYearMonth } from '../../src/document/dates.ts';
import { checkboxCell, inlineText, listCellItems } from '../../src/document/inline-html.ts';
import { parseLimits } from '../../src/document/limits.ts';
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
    expect(parseLimits(text)).toMatchObject([{ kind, amount, unit, per, qualifier }]);
  });

  it('text without a limit yields none', () => {
    expect(parseLimits('Disease progression on or after treatment with Blincyto (blinatumomab).')).toEqual([]);
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
