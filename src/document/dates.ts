import type { YearMonth } from '../domain/document.ts';

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
] as const;

/** "January 2026" → { year: 2026, month: 1 }; null when it is not a real month of a plausible year. */
export function parseYearMonth(text: string): YearMonth | null {
  const match = /^([A-Za-z]+)\.?\s+(\d{4})$/.exec(text.trim());
  if (!match) return null;
  const name = (match[1] ?? '').toLowerCase();
  const month = MONTHS.findIndex((candidate) => candidate === name || (name.length >= 3 && candidate.startsWith(name)));
  const year = Number(match[2]);
  if (month < 0 || year < 1900 || year > 2200) return null;
  return { year, month: month + 1 };
}

export function compareYearMonth(a: YearMonth, b: YearMonth): number {
  return a.year - b.year || a.month - b.month;
}
