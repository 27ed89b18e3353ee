import type { SourceLine } from './source-lines.ts';

/**
 * The first stage of the parser: every source line becomes one token, whatever the converter did to
 * its layout. Bullets are recognized by any common marker followed by any whitespace; indentation is
 * measured, not matched, so nesting can be read relative to the parent. The grammar (second stage)
 * never looks at raw characters again.
 */
export type LineToken = BlankToken | BulletToken | TextToken;

export interface BlankToken {
  readonly kind: 'blank';
  readonly line: SourceLine;
}

export interface BulletToken {
  readonly kind: 'bullet';
  readonly line: SourceLine;
  /** Width of the leading whitespace (a tab counts four): nesting compares widths, never characters. */
  readonly indent: number;
  readonly marker: string;
  /** The text after the marker and its whitespace, trailing whitespace removed. */
  readonly content: string;
}

export interface TextToken {
  readonly kind: 'text';
  readonly line: SourceLine;
  readonly indent: number;
  /** The line without leading and trailing whitespace. */
  readonly content: string;
}

/**
 * Bullet markers converters and authors use: hyphen, asterisk, plus, bullets and squares, en and em
 * dash, arrowheads, the letter "o" that Word's "o"-style lists turn into, and the private-use
 * characters a Symbol- or Wingdings-font bullet becomes when a PDF or Word file is converted.
 */
const BULLET_MARKERS = new Set(['-', '*', '+', '•', '◦', '▪', '▫', '■', '□', '●', '○', '‣', '⁃', '∙', '·', '–', '—', 'o', '➢', '►', '▸', '', '', '']);

const TAB_WIDTH = 4;

/** JavaScript's \s, by character code: this runs for every character, where a regex test costs too much. */
export function isWhitespace(char: string | undefined): boolean {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return code === 160 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** One token per line. Linear in the line length: a plain scan, no regular expression. */
export function lexLine(line: SourceLine): LineToken {
  const { text } = line;
  let position = 0;
  let indent = 0;
  while (position < text.length && isWhitespace(text[position])) {
    indent += text[position] === '\t' ? TAB_WIDTH : 1;
    position += 1;
  }
  if (position === text.length) return { kind: 'blank', line };
  const marker = text[position] ?? '';
  if (BULLET_MARKERS.has(marker) && isWhitespace(text[position + 1])) {
    let contentStart = position + 1;
    while (contentStart < text.length && isWhitespace(text[contentStart])) contentStart += 1;
    const content = trimEnd(text.slice(contentStart));
    if (content !== '') return { kind: 'bullet', line, indent, marker, content };
  }
  return { kind: 'text', line, indent, content: trimEnd(text.slice(position)) };
}

export function lexLines(lines: readonly SourceLine[]): LineToken[] {
  return lines.map(lexLine);
}

function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isWhitespace(text[end - 1])) end -= 1;
  return text.slice(0, end);
}

/**
 * Cells of a table-like line: separated by one or more tabs, or by a run of two or more spaces (what
 * a converter writes for a tab). Empty cells are dropped. A plain scan, linear in the line length.
 */
export function splitCells(text: string): string[] {
  const cells: string[] = [];
  let current = '';
  let position = 0;
  while (position < text.length) {
    const char = text[position] ?? '';
    if (isWhitespace(char)) {
      let end = position;
      let hasTab = false;
      while (end < text.length && isWhitespace(text[end])) {
        if (text[end] === '\t') hasTab = true;
        end += 1;
      }
      if (hasTab || end - position >= 2) {
        cells.push(current);
        current = '';
      } else current += ' ';
      position = end;
      continue;
    }
    current += char;
    position += 1;
  }
  cells.push(current);
  return cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
}
