/**
 * Synthetic guideline documents in the Evolut template, for scale tests and benchmarks. Pure and
 * deterministic: the same index always gives the same document. The drugs are invented.
 */
import { mulberry32 } from '../domain/seeded-random.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SYLLABLES = ['ba', 'ce', 'di', 'lo', 'ma', 'ne', 'ri', 'so', 'tu', 'va', 'xi', 'zo'];
const DISEASES = [
  ['Acute Myeloid Leukemia', 'AML', 'FLT3-mutated disease'],
  ['Multiple Myeloma', 'MM', 'Relapsed or refractory disease'],
  ['Non-Small Cell Lung Cancer', 'NSCLC', 'EGFR exon 19 deletion or exon 21 L858R'],
  ['Chronic Lymphocytic Leukemia', 'CLL', 'With or without 17p deletion'],
  ['Melanoma', null, 'BRAF V600E or V600K mutation'],
] as const;
const MARKERS = ['CD33-positive', 'CD38-positive', 'EGFR-positive', 'CD20-positive', 'BRAF-positive'];
const LINES_OF_BUSINESS = ['CHIP (Children’s Health Insurance Program)', 'Commercial', 'Exchange/Marketplace', 'Medicaid', 'Medicare Advantage'];
const UNITS = [
  ['mg/m2', '1 mg', 'mg'],
  ['mg/kg', '10 mg', 'mg'],
  ['mcg/day', '1 microgram', 'mcg'],
  ['mg', '5 mg', 'mg'],
] as const;

const random = mulberry32;

export function syntheticGuideline(index: number): { fileName: string; text: string } {
  const rand = random(index * 7919 + 17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const count = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
  const name = Array.from({ length: 3 }, () => pick(SYLLABLES)).join('');
  const brand = `${name[0]?.toUpperCase()}${name.slice(1)}xa`;
  const generic = `${name}umab`;
  const number = `Evolut_CG_${50000 + index}`;
  const originalYear = 2010 + count(0, 10);
  const revisedYear = originalYear + count(1, 5);
  const revisedMonth = pick(MONTHS);
  const [disease, abbreviation, qualifier] = pick(DISEASES);
  const [limitUnit, billingUnit] = pick(UNITS);
  const heading = `${disease}${abbreviation ? ` (${abbreviation})` : ''} (${qualifier})`;
  const scenarios = Array.from({ length: count(1, 4) }, (_, i) => ` - Scenario ${i + 1}: ${pick(['as a single agent', 'in combination with chemotherapy', 'as maintenance therapy'])} for ${pick(['first-line', 'relapsed', 'refractory'])} disease`);
  const history = Array.from({ length: count(1, 4) }, (_, i) => `${pick(MONTHS)} ${revisedYear - i}\t<ul style="list-style-type: none"> • Updated references • Reviewed criteria ${i + 1}`);
  const references = Array.from({ length: count(3, 12) }, (_, i) => `${i + 1}. Author${i} A, et al. Study ${i + 1} of ${generic}. *J Synth Oncol*. ${2000 + i} Jan;${i + 1}(1):1-9. doi: 10.5555/synth.${index}.${i}.`);
  return {
    fileName: `${number}.txt`,
    text: `



Evolut Clinical Guideline ${50000 + index} for ${brand}™ (${generic})

Guideline Number: ${number}\t<u>Applicable Codes</u>\t
<i>"Evolut" refers to Evolut Health LLC and Evolut Specialty Services, Inc.</i> © ${originalYear} - ${revisedYear} Evolut. All rights Reserved.\t\t
Original Date: ${pick(MONTHS)} ${originalYear}\tLast Revised Date: ${revisedMonth} ${revisedYear}\tImplementation Date: ${revisedMonth} ${revisedYear}

TABLE OF CONTENTS

STATEMENT\t2
INDICATIONS\t2
EXCLUSION CRITERIA\t3

STATEMENT

Purpose

To define and describe the accepted indications for ${brand} (${generic}) usage in the treatment of cancer.

The use of this drug must be supported by one of the following: FDA approved product labeling, CMS-approved compendia, or peer-reviewed literature.

INDICATIONS

${heading}

- ${brand} (${generic}) may be used in adult members ${count(12, 18)} years and older with ${pick(MARKERS)} ${abbreviation ?? disease} in the following scenarios:
${scenarios.join('\n')}

CONTRAINDICATIONS/WARNINGS

- Contraindications
 - Known hypersensitivity to ${generic} or any component of the formulation.

EXCLUSION CRITERIA

- Disease progression on or after treatment with ${brand} (${generic}).
- Dosing exceeds single dose limit of ${brand} (${generic}) ${count(1, 900)} ${limitUnit}.
- Treatment exceeds the maximum duration limit of ${count(2, 12)} cycles when used as induction and/or consolidation therapy.

CODING AND STANDARDS

Codes

- J${String(1000 + (index % 9000)).padStart(4, '0')} - Injection, ${generic}, ${billingUnit}

Applicable Lines of Business

${LINES_OF_BUSINESS.map((line) => `<input ${rand() < 0.6 ? 'checked="" ' : ''}type="checkbox"/>\t${line}`).join('\n')}

POLICY HISTORY

Date\tSummary
${history.join('\n')}

LEGAL AND COMPLIANCE

Guideline Approval

Committee

Reviewed / Approved by Evolent Specialty Services Clinical Guideline Review Committee

Disclaimer

Evolent Clinical Guidelines do not constitute medical advice.

REFERENCES

${references.join('\n')}`,
  };
}
