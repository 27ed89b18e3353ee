/**
 * Removes any of `chars` from the end of `text`. A plain loop: the same job as /[…]+$/, which
 * backtracks quadratically on a long run of those characters that is not at the end.
 */
export function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end);
}

export const WHITESPACE_CHARS = ' \t\n\r\f\v\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff';
