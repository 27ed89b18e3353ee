/**
 * Tokens of a criterion sentence for the limit grammar: numbers, words, and punctuation, each with
 * its place in the text so the grammar can quote exact words. A single forward scan.
 */
export type LimitToken =
  | { readonly kind: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'word'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly kind: 'mark'; readonly value: string; readonly start: number; readonly end: number };

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';
const isWordChar = (char: string | undefined): boolean => char !== undefined && (/\p{L}/u.test(char) || char === '²' || char === '-' || isDigit(char));

export function limitTokens(text: string): LimitToken[] {
  const tokens: LimitToken[] = [];
  let position = 0;
  while (position < text.length) {
    const char = text[position];
    if (char === undefined || /\s/u.test(char)) {
      position += 1;
      continue;
    }
    const start = position;
    if (isDigit(char)) {
      let digits = '';
      while (position < text.length) {
        const next = text[position];
        if (isDigit(next)) digits += next;
        // "1,000": a comma followed by exactly three digits groups thousands; "0.8": a decimal point.
        else if (next === ',' && isDigit(text[position + 1]) && isDigit(text[position + 2]) && isDigit(text[position + 3]) && !isDigit(text[position + 4])) {
          /* thousands separator: skipped */
        } else if (next === '.' && isDigit(text[position + 1]) && !digits.includes('.')) digits += '.';
        else break;
        position += 1;
      }
      tokens.push({ kind: 'number', value: Number(digits), start, end: position });
      continue;
    }
    if (/\p{L}/u.test(char)) {
      while (position < text.length && isWordChar(text[position])) position += 1;
      // A word never ends in a hyphen: "1- to 2-week" keeps its punctuation apart.
      while (position > start + 1 && text[position - 1] === '-') position -= 1;
      tokens.push({ kind: 'word', value: text.slice(start, position).toLowerCase(), start, end: position });
      continue;
    }
    position += 1;
    tokens.push({ kind: 'mark', value: char, start, end: position });
  }
  return tokens;
}
