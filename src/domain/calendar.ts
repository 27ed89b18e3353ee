/** Calendar dates as UTC epoch days: the unit the rules core computes in. Pure. */
const DAY_MS = 86_400_000;

/** "2026-03-02" → epoch day; null unless it is a real calendar date. */
export function epochDay(isoDate: string): number | null {
  // Read digit by digit (this runs for every date of every request): exactly "YYYY-MM-DD".
  if (isoDate.length !== 10 || isoDate.charCodeAt(4) !== 45 || isoDate.charCodeAt(7) !== 45) return null;
  const year = digits(isoDate, 0, 4);
  const month = digits(isoDate, 5, 7);
  const day = digits(isoDate, 8, 10);
  // Years before 100 were never accepted (Date.UTC reads them as 19xx); a real date has a real month and day.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

/** The decimal number in text[from, to), or -1 unless every character is an ASCII digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index += 1) {
    const code = text.charCodeAt(index) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

export function isoDate(epoch: number): string {
  return new Date(epoch * DAY_MS).toISOString().slice(0, 10);
}

/** The first instant (UTC) of a calendar date given as YYYY-MM-DD; null unless it is a real date. */
export function startOfDay(value: string): Date | null {
  const day = epochDay(value);
  return day === null ? null : new Date(day * DAY_MS);
}

/** The calendar date (YYYY-MM-DD, UTC) of an instant. */
export function dateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The date `value` units after `epoch`, by the calendar (a month after Jan 31 is the last day of February). */
export function addCalendar(epoch: number, value: number, unit: 'day' | 'week' | 'month' | 'year'): number {
  if (unit === 'day') return epoch + value;
  if (unit === 'week') return epoch + 7 * value;
  // Integer arithmetic on the civil calendar (no Date objects: this runs for every age check of every decision).
  const { year, month, day } = civilFromDays(epoch);
  const total = month - 1 + (unit === 'month' ? value : value * 12);
  const targetYear = year + Math.floor(total / 12);
  const targetMonth = total - Math.floor(total / 12) * 12 + 1;
  return daysFromCivil(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

// Proleptic Gregorian calendar <-> days since 1970-01-01, after Howard Hinnant's "chrono-compatible
// low-level date algorithms" (eras of 400 years, years starting in March so the leap day is last).

/** Year, month (1–12) and day of an epoch day. */
export function civilFromDays(epoch: number): { year: number; month: number; day: number } {
  const z = epoch + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The epoch day of a civil date (month 1–12, day 1–31). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}
