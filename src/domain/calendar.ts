/** Calendar dates as UTC epoch days: the unit the rules core computes in. Pure. */
const DAY_MS = 86_400_000;

/** "2026-03-02" → epoch day; null unless it is a real calendar date. */
export function epochDay(isoDate: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return time / DAY_MS;
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
  const date = new Date(epoch * DAY_MS);
  const months = unit === 'month' ? value : value * 12;
  const targetMonth = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  return Date.UTC(date.getUTCFullYear(), targetMonth, Math.min(date.getUTCDate(), lastDay)) / DAY_MS;
}
