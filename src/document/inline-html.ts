import { parseDocument } from 'htmlparser2';
import type { ChildNode } from 'domhandler';
import { isWhitespace } from './lexer.ts';

/** Markdown-style autolinks (<https://…>) are not HTML tags: they are kept as their URL text. Found by scanning. */
function autolinks(raw: string): { index: number; length: number; url: string }[] {
  const found: { index: number; length: number; url: string }[] = [];
  for (let at = raw.indexOf('<http'); at >= 0; at = raw.indexOf('<http', at + 1)) {
    const close = raw.indexOf('>', at);
    if (close < 0) break;
    const url = raw.slice(at + 1, close);
    if ((url.startsWith('http://') || url.startsWith('https://')) && url.length > 8 && !/\s/.test(url) && !url.includes('<')) {
      found.push({ index: at, length: close - at + 1, url });
      at = close;
    }
  }
  return found;
}

/**
 * Plain text of a line that may hold inline HTML (<u>, <i>, <input>, <ul>). Entities are decoded;
 * tags are dropped. A real HTML parser reads the tags, so unclosed or odd markup cannot confuse it.
 */
export function inlineText(raw: string): string {
  if (!raw.includes('<') && !raw.includes('&')) return raw;
  let out = '';
  let last = 0;
  for (const link of autolinks(raw)) {
    out += htmlText(raw.slice(last, link.index));
    out += link.url;
    last = link.index + link.length;
  }
  return out + htmlText(raw.slice(last));
}

function htmlText(fragment: string): string {
  if (fragment === '') return '';
  return textOf(parseDocument(fragment, { decodeEntities: true }).children);
}

function textOf(nodes: readonly ChildNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.data;
    else if ('children' in node) out += textOf(node.children as ChildNode[]);
  }
  return out;
}

export interface CheckboxCell {
  readonly checked: boolean;
}

/** Reads a `<input type="checkbox">` cell; null when the cell is not exactly one checkbox. */
export function checkboxCell(raw: string): CheckboxCell | null {
  const nodes = parseDocument(raw).children.filter((node) => !(node.type === 'text' && node.data.trim() === ''));
  const [only] = nodes;
  if (nodes.length !== 1 || only === undefined || only.type !== 'tag' || only.name !== 'input') return null;
  if ((only.attribs['type'] ?? '').toLowerCase() !== 'checkbox') return null;
  // HTML reads any value of `checked` as checked, a person reads checked="false" as unchecked: refuse it.
  const checked = only.attribs['checked'];
  if (checked !== undefined && checked !== '' && checked.toLowerCase() !== 'checked') return null;
  return { checked: checked !== undefined };
}

/**
 * Items of a list cell: `<li>` elements when present, else the text split at "•" bullets
 * (the converter writes `<ul>` with inline bullets and no `<li>`).
 */
export function listCellItems(raw: string): string[] {
  const root = parseDocument(raw, { decodeEntities: true });
  const listItems: string[] = [];
  const walk = (nodes: readonly ChildNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'tag' && node.name === 'li') listItems.push(normalizeSpace(textOf(node.children)));
      else if ('children' in node) walk(node.children as ChildNode[]);
    }
  };
  walk(root.children);
  const items = listItems.length > 0 ? listItems : textOf(root.children).split('•');
  return items.map(normalizeSpace).filter((item) => item !== '');
}

/** Collapses every run of whitespace to one space and trims. Returns the text itself when it is already so (the common case). */
export function normalizeSpace(text: string): string {
  let clean = text.length === 0 || (text[0] !== ' ' && text[text.length - 1] !== ' ');
  for (let index = 0; clean && index < text.length; index += 1) {
    const char = text[index];
    if (char === ' ') clean = text[index + 1] !== ' ';
    else if (isWhitespace(char)) clean = false;
  }
  return clean ? text : text.replace(/\s+/g, ' ').trim();
}
