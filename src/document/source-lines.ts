import type { SourceSpan } from '../domain/document.ts';

export interface SourceLine {
  /** 1-based line number in the source document. */
  readonly number: number;
  readonly text: string;
}

/** Splits text into numbered lines; CRLF and lone CR are line ends too (converted documents mix them). */
export function splitLines(text: string): SourceLine[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/).map((line, index) => ({ number: index + 1, text: line }));
}

export function isBlank(line: SourceLine): boolean {
  return line.text.trim() === '';
}

export function spanOf(first: SourceLine, last: SourceLine = first): SourceSpan {
  return { startLine: first.number, endLine: last.number };
}

export function joinSpans(a: SourceSpan, b: SourceSpan): SourceSpan {
  return { startLine: Math.min(a.startLine, b.startLine), endLine: Math.max(a.endLine, b.endLine) };
}
