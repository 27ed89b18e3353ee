import type { SourceSpan } from '../domain/document.ts';
import type { DiagnosticCollector } from './diagnostics.ts';
import { ParseCode } from './diagnostics.ts';
import { inlineText, normalizeSpace } from './inline-html.ts';
import type { LineToken } from './lexer.ts';

/** A paragraph or a bullet, after wrapped lines are joined. */
export interface Block {
  readonly kind: 'paragraph' | 'bullet';
  /** Indentation width of a bullet's line; nesting is read by comparing it with its neighbours'. */
  readonly indent: number;
  /** The bullet marker as written ('-', '•', 'o', …); null for paragraphs. */
  readonly marker: string | null;
  /** Plain text: inline HTML read, entities decoded, whitespace collapsed. */
  readonly text: string;
  readonly span: SourceSpan;
}

/** A block being built: whether its last line ends a sentence is kept, so long joins stay linear. */
interface OpenBlock extends Block {
  readonly finished: boolean;
}

export interface BulletNode {
  readonly block: Block;
  readonly children: BulletNode[];
}

export interface BlockOptions {
  /**
   * True when a line opens a new block of its section even right after text that does not end a
   * sentence (a disease heading after a scenario without a final period). Default: never.
   */
  readonly startsBlock?: (text: string) => boolean;
}

/** A sentence ends in . : ; ! or ?, possibly followed by closing quotes or brackets. */
export function endsSentence(text: string): boolean {
  let end = text.length - 1;
  while (end >= 0 && '"\'”’)]'.includes(text[end] ?? '')) end -= 1;
  return end >= 0 && '.:;!?'.includes(text[end] ?? '');
}

/**
 * "➤ …", "1. …", "a) …", "(b) …": a line that starts the way list items do is an item whose marker
 * the lexer does not know, never the continuation of the line above.
 */
export function startsLikeListItem(text: string): boolean {
  if (/^(?:\d{1,3}|[A-Za-z])[.)] /.test(text) || /^\([A-Za-z0-9]{1,3}\) /.test(text)) return true;
  const first = text[0] ?? '';
  return text[1] === ' ' && first !== '' && !/[\p{L}\p{N}"“‘'([<$%&]/u.test(first);
}

/**
 * A block is finished when its text ends a sentence or joins the next item with "AND" / "OR": a
 * text line after it starts something new (a bullet that lost its marker, say), never a wrap.
 */
function finishes(text: string): boolean {
  return endsSentence(text) || text.endsWith(' AND') || text.endsWith(' OR');
}

/**
 * Groups tokens into blocks, joining converter wraps the way a reader does: a text line at the left
 * margin continues the block above it when that block is not finished, whether a blank line
 * separates them or not and whatever the line's first character (lower case, capital or digit).
 * An indented text line is never a wrap (converters wrap to the margin; an indented line is an item
 * that lost its marker), and after a finished block a text line is a block of its own: the section
 * grammar then places or refuses it. Bullets always open a block.
 */
export function toBlocks(tokens: readonly LineToken[], diagnostics: DiagnosticCollector, options: BlockOptions = {}): Block[] {
  const blocks: OpenBlock[] = [];
  const parts: string[][] = [];
  for (const token of tokens) {
    if (token.kind === 'blank') continue;
    const text = normalizeSpace(inlineText(token.content));
    const previous = blocks.at(-1);
    const opensBlock = options.startsBlock?.(text) ?? false;
    // A paragraph is never continued by a line that reads as a list item ("… AND"): that is an item that lost its marker.
    const listItem = previous?.kind === 'paragraph' && (text.endsWith(' AND') || text.endsWith(' OR'));
    if (token.kind === 'text' && token.indent === 0 && previous && !opensBlock && !previous.finished && !listItem && !startsLikeListItem(text)) {
      diagnostics.info(ParseCode.WrappedLine, token.line.number, `line ${token.line.number} continues the text of line ${previous.span.startLine}`);
      if (text !== '') parts.at(-1)?.push(text);
      blocks[blocks.length - 1] = { ...previous, finished: text === '' ? previous.finished : finishes(text), span: { startLine: previous.span.startLine, endLine: token.line.number } };
      continue;
    }
    parts.push([text]);
    blocks.push({
      kind: token.kind === 'bullet' ? 'bullet' : 'paragraph',
      indent: token.indent,
      marker: token.kind === 'bullet' ? token.marker : null,
      text: '',
      finished: finishes(text),
      span: { startLine: token.line.number, endLine: token.line.number },
    });
  }
  return blocks.map(({ finished: _finished, ...block }, index) => ({ ...block, text: (parts[index] ?? []).join(' ') }));
}

/** The template nests three levels; far deeper nesting is not a guideline (and would exhaust the stack). */
export const MAX_NESTING = 6;

/**
 * Nests bullets by indentation relative to their neighbours: deeper than the bullet above makes a
 * child, otherwise the bullet is a sibling of the nearest shallower one. Which characters make the
 * indentation (spaces, tabs, non-breaking spaces) does not matter. A paragraph ends the list.
 */
export function toBulletTree(blocks: readonly Block[], diagnostics: DiagnosticCollector): BulletNode[] {
  const roots: BulletNode[] = [];
  const stack: BulletNode[] = [];
  for (const block of blocks) {
    const node: BulletNode = { block, children: [] };
    if (block.kind === 'paragraph') {
      roots.push(node);
      stack.length = 0;
      continue;
    }
    while (stack.length > 0 && (stack.at(-1)?.block.indent ?? -1) >= block.indent) stack.pop();
    if (stack.length >= MAX_NESTING) {
      diagnostics.error(ParseCode.TooDeep, block.span.startLine, `line ${block.span.startLine} is nested more than ${MAX_NESTING} levels deep`);
      stack.length = MAX_NESTING - 1;
    }
    const parent = stack.at(-1);
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  return roots;
}

/** The block and all its descendants, in document order. */
export function flattenNode(node: BulletNode): Block[] {
  return [node.block, ...node.children.flatMap(flattenNode)];
}
