import type { QuantitativeLimit } from '../domain/document.ts';

const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;
const DOSE_UNIT = String.raw`(mcg|micrograms?|mg|milligrams?|g|grams?|mL|units?)`;
const PER = String.raw`(?:\s*\/\s*(day|dose|week|m2|m²|kg|cycle))?(?:\s*\/\s*(day|dose|week|m2|m²|kg|cycle))?(?:\s+per\s+(day|dose|week|cycle|infusion))?`;
/** "dose limit of <drug> 28 mcg/day", "dose limit of 500 mg/m2", "0.8 mg/m² per dose". */
const DOSE_LIMIT = new RegExp(String.raw`dose limit of\b.*?\b${NUMBER}\s*${DOSE_UNIT}\b${PER}`, 'i');
/** "maximum duration limit of 4 cycles when used as induction and/or consolidation therapy". */
const DURATION_LIMIT = new RegExp(
  String.raw`(?:maximum )?duration (?:limit )?of ${NUMBER}\s+(cycles?|months?|weeks?|days?|doses?)(?:\s+when used as ([^.]+?))?\.?$`,
  'i',
);

const UNIT_NAMES: Readonly<Record<string, string>> = {
  mcg: 'mcg', microgram: 'mcg', micrograms: 'mcg',
  mg: 'mg', milligram: 'mg', milligrams: 'mg',
  g: 'g', gram: 'g', grams: 'g',
  ml: 'mL', unit: 'unit', units: 'unit',
  cycle: 'cycle', cycles: 'cycle', month: 'month', months: 'month', week: 'week', weeks: 'week',
  day: 'day', days: 'day', dose: 'dose', doses: 'dose',
};

export function normalizeUnit(unit: string): string {
  return UNIT_NAMES[unit.toLowerCase()] ?? unit;
}

function normalizePer(per: string): string {
  return per === 'm²' ? 'm2' : per.toLowerCase();
}

/** Recognizes dose and duration limits in a criterion's text; anything else stays text. */
export function parseLimits(text: string): QuantitativeLimit[] {
  const limits: QuantitativeLimit[] = [];
  const dose = DOSE_LIMIT.exec(text);
  if (dose) {
    const sourceText = dose[0].slice(dose[0].search(/\d/));
    limits.push({
      kind: 'MAX_DOSE',
      amount: Number((dose[1] ?? '').replaceAll(',', '')),
      unit: normalizeUnit(dose[2] ?? ''),
      per: [dose[3], dose[4], dose[5]].filter((part): part is string => part !== undefined).map(normalizePer),
      qualifier: null,
      sourceText,
    });
  }
  const duration = DURATION_LIMIT.exec(text);
  if (duration) {
    const qualifier = duration[3]?.replace(/\s+therapy$/i, '').trim() ?? null;
    limits.push({
      kind: 'MAX_DURATION',
      amount: Number((duration[1] ?? '').replaceAll(',', '')),
      unit: normalizeUnit(duration[2] ?? ''),
      per: [],
      qualifier: qualifier === '' ? null : qualifier,
      sourceText: duration[0].replace(/\.$/, ''),
    });
  }
  return limits;
}
