import type { LimitKind, QuantitativeLimit, Quantity } from '../domain/document.ts';
import type { LimitToken } from './limit-tokens.ts';
import { limitTokens } from './limit-tokens.ts';

/** Unit tables have no prototype: a word such as "constructor" is never taken for a unit. */
function table(entries: Record<string, string>): Readonly<Record<string, string>> {
  return Object.assign(Object.create(null) as Record<string, string>, entries);
}

const UNIT_NAMES = table({
  mcg: 'mcg', microgram: 'mcg', micrograms: 'mcg', µg: 'mcg', μg: 'mcg',
  mg: 'mg', milligram: 'mg', milligrams: 'mg',
  g: 'g', gram: 'g', grams: 'g',
  ml: 'mL', milliliter: 'mL', milliliters: 'mL',
  unit: 'unit', units: 'unit',
});
const PER_NAMES = table({
  day: 'day', dose: 'dose', week: 'week', cycle: 'cycle', infusion: 'infusion', m2: 'm2', 'm²': 'm2', kg: 'kg',
});
const DURATION_NAMES = table({
  cycle: 'cycle', cycles: 'cycle', dose: 'dose', doses: 'dose', week: 'week', weeks: 'week', month: 'month', months: 'month',
  day: 'day', days: 'day', year: 'year', years: 'year', infusion: 'infusion', infusions: 'infusion',
});

/** Normalized name of a dose or duration unit, or the word itself when it is not one. */
export function normalizeUnit(unit: string): string {
  const lower = unit.toLowerCase();
  return UNIT_NAMES[lower] ?? DURATION_NAMES[lower] ?? unit;
}

export function isDoseUnit(word: string): boolean {
  return word in UNIT_NAMES;
}

/** Words that make a criterion a dose or duration limit: its quantities must then all be read. */
const LIMIT_WORDING = /\b(?:dose limit|duration limit|dosing exceeds|treatment exceeds|dose exceeds|maximum dose|maximum duration)\b/i;

export function isLimitCriterion(text: string): boolean {
  return LIMIT_WORDING.test(text);
}

export interface LimitReading {
  readonly limits: QuantitativeLimit[];
  /** Why the text could not be read completely, naming the words left over; empty when it was. */
  readonly problems: string[];
}

/**
 * Reads a dose or duration limit sentence completely. `strict` (exclusions): any quantity in the
 * text makes it a limit that must be read; otherwise (exclusion details) only limit wording does.
 *   … dose limit of <drug> N unit[/per…] [per P] [up to a maximum of N unit] [every N unit] [when …|for …] [, or <another>].
 *   … duration limit of N unit [when used as X therapy] [when …|for …] [, or N unit …].
 * Every number followed by a unit must land in a field, and nothing may follow the limit unread;
 * otherwise the reading fails with the leftover words named.
 */
export function readLimits(text: string, strict: boolean): LimitReading {
  const tokens = limitTokens(text);
  const wording = isLimitCriterion(text);
  if (quantitiesIn(tokens).length === 0) {
    // Limit wording without any number ("the maximum dose of anthracyclines") states no limit; with a
    // number in a unit the grammar does not know, it states one that cannot be read.
    const number = wording ? tokens.find((token) => token.kind === 'number') : undefined;
    if (number) return { limits: [], problems: [`number "${text.slice(number.start, number.end)}" in a limit has no unit the limit grammar reads (mcg, mg, g, mL, units; cycles, doses, days, weeks, months, years)`] };
    // "… duration limit of four cycles": a limit is stated, but not as a number the grammar reads.
    if (findLimitOf(tokens)) return { limits: [], problems: [`the limit in "${text}" has no amount written as a number with a unit (write "4 cycles", not "four cycles")`] };
    return { limits: [], problems: [] };
  }
  if (!strict && !wording) return { limits: [], problems: [] };
  const kindAt = findLimitOf(tokens);
  if (!kindAt) {
    const [first] = quantitiesIn(tokens);
    const quantity = first ? text.slice(first.start, first.end) : '';
    return { limits: [], problems: [`quantity "${quantity}" is not stated as "dose limit of …" or "duration limit of …", so it cannot be read into a limit`] };
  }
  const reader = new LimitReader(text, tokens, kindAt.index, kindAt.kind);
  const problems: string[] = [];
  const limits: QuantitativeLimit[] = [];
  // Words before "dose limit of" say which limit it is ("initial", "subsequent weekly", "daily",
  // "cumulative"): they are kept as its qualifier, so a rule must declare them to bind the limit.
  const modifiers = tokens.slice(0, kindAt.index - 3).filter((token) => token.kind === 'word' && !LEAD_WORDS.has(token.value)).map((token) => token.value);
  for (const stray of tokens.slice(0, kindAt.index - 3).filter((token) => token.kind === 'number')) problems.push(`number "${text.slice(stray.start, stray.end)}" before the limit was not read into it`);
  const first = reader.readLimit(false, problems);
  if (first) limits.push(modifiers.length === 0 ? first : { ...first, qualifier: [modifiers.join(' '), first.qualifier].filter(Boolean).join('; ') });
  while (first && reader.atAlternative()) {
    const next = reader.readLimit(true, problems);
    if (!next) break;
    limits.push(next);
  }
  problems.push(...reader.leftovers());
  // A quantity before "limit of" ("Dosing exceeds 28 mcg/day …") would escape the structure too.
  for (const quantity of quantitiesIn(tokens.slice(0, kindAt.index))) problems.push(`quantity "${text.slice(quantity.start, quantity.end)}" was not read into the limit`);
  return problems.length > 0 ? { limits: [], problems } : { limits, problems };
}

/** Words before "dose limit of" that do not change which limit it is. */
const LEAD_WORDS = new Set(['dosing', 'treatment', 'exceeds', 'exceed', 'the', 'a', 'an', 'single', 'maximum', 'total', 'of']);

function findLimitOf(tokens: readonly LimitToken[]): { index: number; kind: LimitKind } | null {
  for (let i = 1; i + 1 < tokens.length; i += 1) {
    if (tokens[i]?.value !== 'limit' || tokens[i + 1]?.value !== 'of') continue;
    const before = tokens[i - 1]?.value;
    if (before === 'dose') return { index: i + 2, kind: 'MAX_DOSE' };
    if (before === 'duration') return { index: i + 2, kind: 'MAX_DURATION' };
  }
  return null;
}

function quantitiesIn(tokens: readonly LimitToken[]): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    if (token.kind === 'number' && next?.kind === 'word' && (isDoseUnit(next.value) || next.value in DURATION_NAMES || next.value in PER_NAMES)) {
      found.push({ start: token.start, end: next.end });
    }
  });
  return found;
}

class LimitReader {
  #position: number;
  readonly #consumed: boolean[];
  /** Set when the amount is preceded by a number or a mark the grammar cannot place. */
  strayNumber: string | null = null;

  constructor(
    readonly text: string,
    readonly tokens: readonly LimitToken[],
    start: number,
    readonly kind: LimitKind,
  ) {
    this.#position = start;
    this.#consumed = tokens.map((_, index) => index < start);
  }

  #peek(offset = 0): LimitToken | undefined {
    return this.tokens[this.#position + offset];
  }

  #isWord(offset: number, ...words: string[]): boolean {
    const token = this.#peek(offset);
    return token?.kind === 'word' && words.includes(token.value);
  }

  #isMark(offset: number, mark: string): boolean {
    const token = this.#peek(offset);
    return token?.kind === 'mark' && token.value === mark;
  }

  #take(count = 1): void {
    for (let i = 0; i < count; i += 1) this.#consumed[this.#position + i] = true;
    this.#position += count;
  }

  /** The amount of the limit: a dose limit names the drug first, so words before the number are skipped. */
  #seekAmount(units: Readonly<Record<string, string>>): boolean {
    for (let index = this.#position; index + 1 < this.tokens.length; index += 1) {
      const token = this.tokens[index];
      const next = this.tokens[index + 1];
      if (token?.kind === 'number' && next?.kind === 'word' && next.value in units) {
        // ".5 mg", "1,5 mg", "2 x 200 mg": the amount must follow the drug's name directly, or part of it would be lost.
        const before = this.tokens[index - 1];
        const skipped = this.tokens.slice(this.#position, index);
        if (skipped.some((item) => item.kind === 'number') || (before?.kind === 'mark' && before.value !== ')')) {
          this.strayNumber = this.text.slice((skipped.find((item) => item.kind === 'number') ?? before ?? token).start, next.end);
          return false;
        }
        for (let skippedIndex = this.#position; skippedIndex < index; skippedIndex += 1) this.#consumed[skippedIndex] = true;
        this.#position = index;
        return true;
      }
      // The drug name cannot hold a quantity of another unit class: stop and report it as unread.
      if (token?.kind === 'number' && next?.kind === 'word' && quantitiesIn([token, next]).length > 0) return false;
      if (token?.kind === 'mark' && token.value === '.' && index === this.tokens.length - 1) return false;
    }
    return false;
  }

  readLimit(alternative: boolean, problems: string[]): QuantitativeLimit | null {
    const units = this.kind === 'MAX_DOSE' ? UNIT_NAMES : DURATION_NAMES;
    const startToken = this.#peek();
    if (!(alternative ? this.#quantityAt(0, units) : this.#seekAmount(units))) {
      problems.push(this.strayNumber
        ? `"${this.strayNumber}" is not an amount the limit grammar reads (an amount is written "0.5 mg/kg", right after the drug's name)`
        : `no ${this.kind === 'MAX_DOSE' ? 'dose' : 'duration'} amount with a unit after "limit of" in "${this.text}"`);
      return null;
    }
    const begin = alternative && startToken ? this.#peek()?.start ?? startToken.start : this.#peek()?.start ?? 0;
    const amount = this.#peek() as LimitToken & { kind: 'number' };
    const unitWord = String(this.#peek(1)?.value ?? '');
    this.#take(2);
    const per: string[] = [];
    while (this.#isMark(0, '/') && this.#peek(1)?.kind === 'word' && (this.#peek(1)?.value ?? '') in PER_NAMES) {
      per.push(PER_NAMES[this.#peek(1)?.value ?? ''] ?? '');
      this.#take(2);
    }
    let cap: Quantity | null = null;
    let interval: Quantity | null = null;
    let qualifier: string | null = null;
    let condition: string | null = null;
    let end = this.#peek(-1)?.end ?? begin;
    for (;;) {
      // "per" belongs to the amount; after a cap or an interval it would be read into the wrong part.
      if (cap === null && interval === null && this.#isWord(0, 'per') && (this.#peek(1)?.value ?? '') in PER_NAMES) {
        per.push(PER_NAMES[this.#peek(1)?.value ?? ''] ?? '');
        this.#take(2);
      } else if (this.kind === 'MAX_DOSE' && cap === null && this.#isWord(0, 'up') && this.#isWord(1, 'to') && this.#isWord(2, 'a') && this.#isWord(3, 'maximum') && this.#isWord(4, 'of') && this.#quantityAt(5, UNIT_NAMES, true)) {
        this.#take(5);
        cap = { amount: (this.#peek() as LimitToken & { kind: 'number' }).value, unit: UNIT_NAMES[this.#peek(1)?.value ?? ''] ?? '' };
        this.#take(2);
      } else if (this.kind === 'MAX_DOSE' && interval === null && this.#isWord(0, 'every') && this.#quantityAt(1, DURATION_NAMES, true)) {
        this.#take(1);
        interval = { amount: (this.#peek() as LimitToken & { kind: 'number' }).value, unit: DURATION_NAMES[this.#peek(1)?.value ?? ''] ?? '' };
        this.#take(2);
      } else if (this.kind === 'MAX_DOSE' && interval === null && this.#isWord(0, 'every') && (this.#peek(1)?.value ?? '') in DURATION_NAMES) {
        this.#take(1);
        interval = { amount: 1, unit: DURATION_NAMES[this.#peek()?.value ?? ''] ?? '' };
        this.#take(1);
      } else if (qualifier === null && condition === null && this.#isWord(0, 'when') && this.#isWord(1, 'used') && this.#isWord(2, 'as')) {
        const phase = this.#clauseUntilEnd(3);
        qualifier = (phase.toLowerCase().endsWith(' therapy') ? phase.slice(0, -' therapy'.length) : phase).trim() || null;
      } else if (condition === null && this.#isWord(0, 'when', 'for', 'in')) {
        condition = this.#clauseUntilEnd(0) || null;
      } else break;
      end = this.#peek(-1)?.end ?? end;
    }
    return {
      kind: this.kind,
      amount: amount.value,
      unit: units[unitWord] ?? unitWord,
      per,
      cap,
      interval,
      qualifier,
      condition,
      alternative,
      sourceText: this.text.slice(begin, end).trim(),
    };
  }

  /** A number and a unit at `offset`; `alone` also requires no "/per" after it (a cap or an interval is an absolute amount). */
  #quantityAt(offset: number, units: Readonly<Record<string, string>>, alone = false): boolean {
    const token = this.#peek(offset);
    const next = this.#peek(offset + 1);
    const perFollows = this.#isMark(offset + 2, '/');
    return token?.kind === 'number' && next?.kind === 'word' && next.value in units && !(alone && perFollows);
  }

  /** ", or N unit": the second part of a two-part limit. */
  atAlternative(): boolean {
    if (!(this.#isMark(0, ',') && this.#isWord(1, 'or'))) return false;
    if (!this.#quantityAt(2, this.kind === 'MAX_DOSE' ? UNIT_NAMES : DURATION_NAMES)) return false;
    this.#take(2);
    return true;
  }

  /**
   * The words of a clause from `offset` to the end of the sentence, or to ", or N unit" where a second
   * limit begins. A quantity inside the clause stops it, so that quantity is reported as unread.
   */
  #clauseUntilEnd(offset: number): string {
    const startIndex = this.#position + offset;
    let index = startIndex;
    const units = this.kind === 'MAX_DOSE' ? UNIT_NAMES : DURATION_NAMES;
    while (index < this.tokens.length) {
      const token = this.tokens[index];
      if (token?.kind === 'mark' && token.value === '.' && index === this.tokens.length - 1) break;
      if (token?.kind === 'mark' && token.value === ',' && this.tokens[index + 1]?.value === 'or') {
        const amount = this.tokens[index + 2];
        const unit = this.tokens[index + 3];
        if (amount?.kind === 'number' && unit?.kind === 'word' && unit.value in units) break;
      }
      if (token?.kind === 'number' && quantitiesIn(this.tokens.slice(index, index + 2)).length > 0) break;
      index += 1;
    }
    const first = this.tokens[startIndex];
    const last = this.tokens[index - 1];
    const words = first && last && index > startIndex ? this.text.slice(first.start, last.end).trim() : '';
    for (let i = this.#position; i < index; i += 1) this.#consumed[i] = true;
    this.#position = index;
    return words;
  }

  /** What is left unread, quoted; the sentence's final period is expected and not a leftover. */
  leftovers(): string[] {
    const last = this.tokens.length - 1;
    if (this.tokens[last]?.kind === 'mark' && this.tokens[last]?.value === '.') this.#consumed[last] = true;
    const first = this.#consumed.indexOf(false);
    if (first < 0) return [];
    const unreadTokens = this.tokens.filter((_, index) => !this.#consumed[index]);
    const quantities = quantitiesIn(unreadTokens);
    if (quantities.length > 0) return quantities.map((quantity) => `quantity "${this.text.slice(quantity.start, quantity.end)}" was not read into the limit`);
    const from = this.tokens[first]?.start ?? 0;
    return [`words after the limit were not read: "${this.text.slice(from).trim()}"`];
  }
}
