import type { SourceSpan } from '../domain/document.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { inlineText, normalizeSpace } from './inline-html.ts';
import type { SourceLine } from './source-lines.ts';
import { isBlank } from './source-lines.ts';

/** A paragraph or a "-" bullet of the template, after wrapped lines are joined. */
export interface Block {
  readonly kind: 'paragraph' | 'bullet';
  /** Bullet nesting: 0 for "- ", 1 for " - ", 2 for "  - ". Paragraphs are -1. */
  readonly depth: number;
  readonly text: string;
  /** The raw source lines (one, or more when a sentence was wrapped). */
  readonly raw: readonly string[];
  readonly span: SourceSpan;
}

export interface BulletNode {
  readonly block: Block;
  readonly children: BulletNode[];
}

const BULLET = /^( *)- (.*)$/;

/**
 * Groups lines into blocks. The converter sometimes breaks a sentence across a blank line; a line that
 * starts in lower case right after a block that does not end a sentence continues that block.
 */
export function toBlocks(lines: readonly SourceLine[], diagnostics: DiagnosticCollector): Block[] {
  const blocks: Block[] = [];
  for (const line of lines) {
    if (isBlank(line)) continue;
    const bullet = BULLET.exec(line.text);
    const previous = blocks.at(-1);
    if (!bullet && previous && continuesSentence(previous.text, line.text)) {
      diagnostics.info(ParseCode.WrappedLine, line.number, `line ${line.number} continues the sentence of line ${previous.span.startLine}`);
      blocks[blocks.length - 1] = {
        ...previous,
        text: `${previous.text} ${normalizeSpace(inlineText(line.text))}`,
        raw: [...previous.raw, line.text],
        span: { startLine: previous.span.startLine, endLine: line.number },
      };
      continue;
    }
    blocks.push({
      kind: bullet ? 'bullet' : 'paragraph',
      depth: bullet ? (bullet[1] ?? '').length : -1,
      text: normalizeSpace(inlineText(bullet ? (bullet[2] ?? '') : line.text)),
      raw: [line.text],
      span: { startLine: line.number, endLine: line.number },
    });
  }
  return blocks;
}

function continuesSentence(previousText: string, lineText: string): boolean {
  return /^[a-z]/.test(lineText.trimStart()) && !/[.:;!?]$/.test(previousText.trimEnd());
}

/** Nests bullets by depth; a paragraph ends the current list and is returned as a root of its own. */
export function toBulletTree(blocks: readonly Block[]): BulletNode[] {
  const roots: BulletNode[] = [];
  const stack: BulletNode[] = [];
  for (const block of blocks) {
    const node: BulletNode = { block, children: [] };
    if (block.kind === 'paragraph') {
      roots.push(node);
      stack.length = 0;
      continue;
    }
    while (stack.length > 0 && (stack.at(-1)?.block.depth ?? -1) >= block.depth) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  return roots;
}
