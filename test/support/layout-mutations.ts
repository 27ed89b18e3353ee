/**
 * Layout variations of guideline text documents, for a metamorphic test suite of the guideline parser.
 *
 * Every variation changes layout only (line endings, whitespace, bullet markers and indentation, heading case,
 * cell separators, converter-style wraps, HTML spelling, entity encoding): a careful human reader of the
 * varied document sees exactly the content of the original. Variations work on already-varied text too, so
 * they can be chained by `combineVariations`. No dependencies; pure functions of (text, random).
 */

import { mulberry32 } from '../../src/domain/seeded-random.ts';

export type Random = () => number; // in [0,1)

/** mulberry32: tiny and deterministic. The seed is pre-mixed (murmur3 fmix32) because raw small seeds 1, 2, 3…
 * give correlated first draws, which would make every seed pick the same region of a document. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35);
  return mulberry32((state ^ (state >>> 16)) >>> 0);
}

export interface LayoutVariation {
  readonly name: string;
  readonly group: string;
  /** Returns the varied text, or null when the variation does not apply to this document. Pure; uses random only for choices. */
  apply(text: string, random: Random): string | null;
}

// ---------------------------------------------------------------- random helpers

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Each item with probability p, but at least one, so an applicable variation always changes something. */
function someOf<T>(random: Random, items: readonly T[], p: number): T[] {
  if (items.length === 0) return [];
  const chosen = items.filter(() => random() < p);
  return chosen.length > 0 ? chosen : [pick(random, items)];
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

// ---------------------------------------------------------------- document model

/** A line and the terminator that followed it ('' for the last line), so line endings survive every edit. */
interface Line { text: string; eol: string }
interface Doc { bom: boolean; lines: Line[]; readonly eol: string }

function parseDoc(text: string): Doc {
  const bom = text.startsWith('\uFEFF');
  const parts = (bom ? text.slice(1) : text).split(/(\r\n|\r|\n)/);
  const lines: Line[] = [];
  for (let i = 0; i < parts.length; i += 2) lines.push({ text: parts[i] ?? '', eol: parts[i + 1] ?? '' });
  return { bom, lines, eol: parts[1] ?? '\n' }; // inserted lines use the document's first line ending
}

function renderDoc(doc: Doc): string {
  return (doc.bom ? '\uFEFF' : '') + doc.lines.map((line) => line.text + line.eol).join('');
}

const SECTION_HEADINGS = new Set(['TABLE OF CONTENTS', 'STATEMENT', 'INDICATIONS', 'CONTRAINDICATIONS/WARNINGS',
  'EXCLUSION CRITERIA', 'CODING AND STANDARDS', 'POLICY HISTORY', 'LEGAL AND COMPLIANCE', 'REFERENCES']);
/** Sub-headings by upper-case key, in their template spelling. */
const SUB_HEADINGS = new Map(['Purpose', 'Codes', 'Applicable Lines of Business', 'Guideline Approval', 'Committee',
  'Disclaimer'].map((h) => [h.toUpperCase(), h]));

type Kind = 'blank' | 'section' | 'subheading' | 'header' | 'toc' | 'checkbox' | 'history-header' | 'history-row'
  | 'reference' | 'code' | 'bullet' | 'paragraph';
interface Info { readonly kind: Kind; readonly section: string }

/** A bullet in any marker, indentation and marker spacing these variations produce. */
const BULLET = /^([ \t\u00A0]*)([-*•–◦o▪\uF0B7➢])([ \t\u00A0]+)(?=\S)/u;
const CODE_TEXT = /^[A-Z0-9]{5}\s+[-–—]\s/; // "J9039 - Injection, …"
/** Lines whose tabs separate cells (and whose trailing tabs are empty cells). */
const CELL_KINDS: ReadonlySet<Kind> = new Set<Kind>(['header', 'toc', 'history-header', 'history-row', 'checkbox']);

function headingKey(text: string): string {
  return text.trim().toUpperCase(); // trim() also drops U+00A0 and a BOM
}

/** Classifies lines by template role. Headings are matched on the whole line, so TOC entries ("STATEMENT\t2") never are. */
function classify(lines: readonly Line[]): Info[] {
  let region: 'header' | 'toc' | 'body' = 'header';
  let section = '';
  return lines.map(({ text }) => {
    const key = headingKey(text);
    if (SECTION_HEADINGS.has(key)) {
      region = key === 'TABLE OF CONTENTS' ? 'toc' : 'body';
      section = key;
      return { kind: 'section', section };
    }
    return { kind: kindOf(text, key, region, section), section };
  });
}

function kindOf(text: string, key: string, region: 'header' | 'toc' | 'body', section: string): Kind {
  if (key === '') return 'blank';
  if (region !== 'body') return region;
  if (SUB_HEADINGS.has(key)) return 'subheading';
  if (/^\s*<input\b/i.test(text)) return 'checkbox';
  if (section === 'POLICY HISTORY' && /^Date\s+Summary\s*$/.test(text)) return 'history-header';
  if (section === 'POLICY HISTORY' && /^[A-Z][a-z]+ \d{4}\s/.test(text)) return 'history-row';
  if (section === 'REFERENCES' && /^\d+\.\s/.test(text)) return 'reference';
  const bullet = BULLET.exec(text);
  if (bullet) return CODE_TEXT.test(text.slice(bullet[0].length)) ? 'code' : 'bullet';
  return 'paragraph';
}

/** Ends a sentence for a reader; a trailing entity ("members&rsquo;") is a character, not a ';'. */
function endsSentence(text: string): boolean {
  return /[.:;!?]$/.test(text.trimEnd().replace(/&(#x?[0-9a-f]+|[a-z]+\d?);$/i, 'x'));
}

type Edit = (doc: Doc, infos: readonly Info[], random: Random) => void;

/** Builds a variation from an in-place edit; an edit that changes nothing means "does not apply" (null). */
function variation(name: string, group: string, edit: Edit): LayoutVariation {
  return {
    name,
    group,
    apply(text, random) {
      const doc = parseDoc(text);
      edit(doc, classify(doc.lines), random);
      const varied = renderDoc(doc);
      return varied === text ? null : varied;
    },
  };
}

function indicesOf(infos: readonly Info[], test: (info: Info, index: number) => boolean): number[] {
  return infos.flatMap((info, index) => (test(info, index) ? [index] : []));
}

function lineAt(doc: Doc, index: number): Line {
  const line = doc.lines[index];
  if (!line) throw new Error(`no line ${index}`);
  return line;
}

// ---------------------------------------------------------------- line endings and whitespace

function lineEndings(choose: (random: Random) => string): Edit {
  return (doc, _infos, random) => {
    for (const line of doc.lines) if (line.eol !== '') line.eol = choose(random);
  };
}

/** Some lines CRLF, the rest LF (at least one of each when there are two line endings). */
const mixedLineEndings: Edit = (doc, _infos, random) => {
  const ended = doc.lines.filter((line) => line.eol !== '');
  const crlf = new Set(someOf(random, ended, 0.5).slice(0, Math.max(1, ended.length - 1)));
  for (const line of ended) line.eol = crlf.has(line) ? '\r\n' : '\n';
};

const addFinalNewline: Edit = (doc) => {
  const last = doc.lines.at(-1);
  if (!last || last.text === '') return; // already ends with a line ending
  last.eol = doc.eol;
  doc.lines.push({ text: '', eol: '' });
};

const TAB_SAFE_KINDS: ReadonlySet<Kind> = new Set<Kind>(['bullet', 'code', 'paragraph', 'reference']);

const trailingWhitespace: Edit = (doc, infos, random) => {
  for (const i of someOf(random, indicesOf(infos, (info) => info.kind !== 'blank'), 0.3)) {
    // Tabs only after block text: on a cell line a trailing tab reads as one more (empty) cell, and a heading
    // followed by a tab would look like a TOC entry.
    const runs = TAB_SAFE_KINDS.has(infos[i]?.kind ?? 'blank') ? [' ', '  ', '\t', ' \t'] : [' ', '  '];
    lineAt(doc, i).text += pick(random, runs);
  }
};

const whitespaceOnlyBlankLines: Edit = (doc, infos, random) => {
  for (const i of someOf(random, indicesOf(infos, (info) => info.kind === 'blank'), 0.5)) {
    lineAt(doc, i).text = pick(random, [' ', '\t', '  \t ', '\u00A0']);
  }
};

/** A blank line between a line that does not end a sentence and a plain line is a wrap: leave it single. */
function insideWrap(doc: Doc, infos: readonly Info[], i: number): boolean {
  let p = i - 1;
  while (p >= 0 && infos[p]?.kind === 'blank') p--;
  let n = i + 1;
  while (n < infos.length && infos[n]?.kind === 'blank') n++;
  const before = infos[p]?.kind;
  return (before === 'bullet' || before === 'paragraph') && infos[n]?.kind === 'paragraph'
    && !endsSentence(lineAt(doc, p).text);
}

/** Doubles or triples blank lines that already separate blocks. */
const extraBlankLines: Edit = (doc, infos, random) => {
  const starts = indicesOf(infos, (info, i) => info.kind === 'blank' && infos[i - 1]?.kind !== 'blank'
    && !insideWrap(doc, infos, i));
  for (const i of someOf(random, starts, 0.5).reverse()) {
    const blanks = Array.from({ length: between(random, 1, 2) }, () => ({ text: '', eol: doc.eol }));
    doc.lines.splice(i + 1, 0, ...blanks);
  }
};

/** Loosens tight lists: a blank line between two items of the same list or table. */
const blankLinesBetweenItems: Edit = (doc, infos, random) => {
  const family = (kind: Kind | undefined): string | null =>
    kind === 'bullet' || kind === 'code' ? 'list' : kind === 'checkbox' || kind === 'history-row' || kind === 'toc' ? kind : null;
  const pairs = indicesOf(infos, (info, i) => family(info.kind) !== null && family(info.kind) === family(infos[i + 1]?.kind));
  for (const i of someOf(random, pairs, 0.3).reverse()) doc.lines.splice(i + 1, 0, { text: '', eol: doc.eol });
};

// ---------------------------------------------------------------- heading case

const SMALL_WORDS = new Set(['a', 'an', 'and', 'for', 'in', 'of', 'or', 'the', 'to']);
type Style = (heading: string) => string;
const titleCase: Style = (h) =>
  h.toLowerCase().replace(/\p{L}+/gu, (w, at: number) => (at > 0 && SMALL_WORDS.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)));
const sentenceCase: Style = (h) => h.charAt(0).toUpperCase() + h.slice(1).toLowerCase();
const upperCase: Style = (h) => h.toUpperCase();
const lowerCase: Style = (h) => h.toLowerCase();

/** Re-cases heading lines from their template spelling (so re-applying is stable); surrounding whitespace is kept. */
function recaseHeadings(styleFor: (kind: 'section' | 'subheading', random: Random) => Style | null): Edit {
  return (doc, infos, random) => {
    infos.forEach((info, i) => {
      if (info.kind !== 'section' && info.kind !== 'subheading') return;
      const style = styleFor(info.kind, random);
      if (!style) return;
      const line = lineAt(doc, i);
      const key = headingKey(line.text);
      const template = info.kind === 'section' ? key : (SUB_HEADINGS.get(key) ?? key);
      line.text = line.text.replace(/^(\s*)(.*?)(\s*)$/u, (_m, lead: string, _h: string, tail: string) => lead + style(template) + tail);
    });
  };
}

// ---------------------------------------------------------------- bullets: markers, marker spacing, indentation

interface BulletLine { readonly index: number; readonly match: RegExpExecArray; readonly depth: number; readonly section: string }

function indentWidth(indent: string): number {
  return [...indent].reduce((width, c) => width + (c === '\t' ? 4 : 1), 0);
}

/** Bullet (and code) lines with their depth: the rank of their indentation among the document's bullets, so depth
 * survives any uniform re-indentation (1 space, a tab, 2 or 4 spaces, a base indent of 2…). */
function bulletLines(doc: Doc, infos: readonly Info[]): BulletLine[] {
  const found = indicesOf(infos, (info) => info.kind === 'bullet' || info.kind === 'code').flatMap((index) => {
    const match = BULLET.exec(lineAt(doc, index).text);
    return match ? [{ index, match, section: infos[index]?.section ?? '' }] : [];
  });
  const widths = [...new Set(found.map((b) => indentWidth(b.match[1] ?? '')))].sort((a, b) => a - b);
  return found.map((b) => ({ ...b, depth: widths.indexOf(indentWidth(b.match[1] ?? '')) }));
}

interface BulletParts { indent?: string; marker?: string; space?: string }

function rewriteBullets(choose: (bullet: BulletLine, random: Random) => BulletParts | null): Edit {
  return (doc, infos, random) => {
    for (const bullet of bulletLines(doc, infos)) {
      const parts = choose(bullet, random);
      if (!parts) continue;
      const line = lineAt(doc, bullet.index);
      const [prefix, indent = '', marker = '', space = ''] = bullet.match;
      line.text = (parts.indent ?? indent) + (parts.marker ?? marker) + (parts.space ?? space) + line.text.slice(prefix.length);
    }
  };
}

/** Only the leading marker changes: the "-" of "J9039 - Injection" and the "•" of history cells are not at line start. */
const markerEverywhere = (marker: string): Edit => rewriteBullets(() => ({ marker }));

/** The same marker, only within one section chosen at random among those that have bullets. */
function markerInOneSection(marker: string): Edit {
  return (doc, infos, random) => {
    const sections = [...new Set(bulletLines(doc, infos).map((b) => b.section))];
    if (sections.length === 0) return;
    const section = pick(random, sections);
    rewriteBullets((b) => (b.section === section ? { marker } : null))(doc, infos, random);
  };
}

const MARKERS: ReadonlyArray<readonly [string, string]> = [['asterisk', '*'], ['bullet', '•'], ['en-dash', '–'],
  ['white-bullet', '◦'], ['letter-o', 'o'], ['symbol-font', '\uF0B7'], ['arrowhead', '➢']];
const DEPTH_MARKERS = ['•', 'o', '▪'];

const reindent = (indentFor: (depth: number) => string): Edit => rewriteBullets((b) => ({ indent: indentFor(b.depth) }));

// ---------------------------------------------------------------- cells

/** Re-spells the tab runs of cell lines; trailing (empty-cell) tabs get their own treatment. */
function recell(interior: (random: Random) => string, trailing: (run: string, random: Random) => string): Edit {
  return (doc, infos, random) => {
    for (const i of indicesOf(infos, (info) => CELL_KINDS.has(info.kind))) {
      const line = lineAt(doc, i);
      const [, core = '', tail = ''] = /^(.*?)([ \t]*)$/.exec(line.text) ?? [];
      line.text = core.replace(/\t+/g, () => interior(random)) + (tail.includes('\t') ? trailing(tail, random) : tail);
    }
  };
}

// ---------------------------------------------------------------- converter wraps

type StartClass = 'lower' | 'capital' | 'digit';
const STARTS: Record<StartClass, RegExp> = { lower: /^\p{Ll}/u, capital: /^\p{Lu}/u, digit: /^\d/ };

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** A continuation a reader cannot mistake for a new block: no marker, number, month row, heading, or markup. */
function safeContinuation(rest: string): boolean {
  return words(rest) >= 3 && /\p{Ll}/u.test(rest) && !rest.startsWith('<') && !/^[-*•–◦o▪]\s/u.test(rest)
    && !/^\d+[.)]\s/.test(rest) && !/^[A-Z][a-z]+ \d{4}\b/.test(rest)
    && !SECTION_HEADINGS.has(headingKey(rest)) && !SUB_HEADINGS.has(headingKey(rest));
}

/** Word-boundary cuts of a block's text where neither half looks like anything but a wrapped sentence. */
function cutPoints(body: string, start: StartClass): number[] {
  const points: number[] = [];
  for (let i = 1; i < body.length - 1; i++) {
    if (body[i] !== ' ' || body[i - 1] === ' ' || body[i + 1] === ' ') continue;
    const first = body.slice(0, i);
    const rest = body.slice(i + 1);
    const inTag = first.lastIndexOf('<') > first.lastIndexOf('>'); // also covers <https://…>
    const inEmphasis = (first.match(/\*/g)?.length ?? 0) % 2 === 1;
    if (inTag || inEmphasis || endsSentence(first) || words(first) < 2) continue;
    // A capitalised continuation that does not end a sentence would read like an indication heading; keep those out.
    if (STARTS[start].test(rest) && safeContinuation(rest) && (start !== 'capital' || endsSentence(rest))) points.push(i);
  }
  return points;
}

/** Splits one random long bullet or paragraph into "first part", (blank line), unindented continuation. */
function wrap(start: StartClass, withBlankLine: boolean, bulletsOnly: boolean): Edit {
  return (doc, infos, random) => {
    const options = indicesOf(infos, (info, i) => info.kind === 'bullet'
      || (!bulletsOnly && info.kind === 'paragraph' && endsSentence(lineAt(doc, i).text))) // others are heading-like
      .flatMap((index) => {
        const text = lineAt(doc, index).text;
        const prefix = BULLET.exec(text)?.[0].length ?? 0;
        const points = cutPoints(text.slice(prefix), start);
        return words(text) >= 8 && points.length > 0 ? [{ index, cuts: points.map((p) => prefix + p) }] : [];
      });
    if (options.length === 0) return;
    const { index, cuts } = pick(random, options);
    const line = lineAt(doc, index);
    const cut = pick(random, cuts);
    const parts = [{ text: line.text.slice(0, cut), eol: doc.eol }, { text: line.text.slice(cut + 1), eol: line.eol }];
    if (withBlankLine) parts.splice(1, 0, { text: '', eol: doc.eol });
    doc.lines.splice(index, 1, ...parts);
  };
}

// ---------------------------------------------------------------- code dash, checkboxes, history cells

const codeDash = (dash: string): Edit => (doc, infos) => {
  for (const b of bulletLines(doc, infos)) {
    if (infos[b.index]?.kind !== 'code') continue;
    const line = lineAt(doc, b.index);
    line.text = b.match[0] + line.text.slice(b.match[0].length).replace(/^([A-Z0-9]{5})\s+[-–—]\s+/, `$1 ${dash} `);
  }
};

const CHECKBOX_FORMS: ReadonlyArray<readonly [string, string, string]> = [ // name, checked, unchecked
  ['boolean-attribute', '<input type="checkbox" checked>', '<input type="checkbox">'],
  ['xhtml', '<input type="checkbox" checked="checked" />', '<input type="checkbox" />'],
  ['upper-case', '<INPUT TYPE="checkbox" CHECKED>', '<INPUT TYPE="checkbox">'],
  ['attribute-order', '<input type="checkbox" checked=""/>', '<input type="checkbox"/>'],
  ['single-quotes', "<input checked='' type='checkbox'/>", "<input type='checkbox'>"],
];

function recheckbox(form: (random: Random) => readonly [string, string, string]): Edit {
  return (doc, infos, random) => {
    for (const i of indicesOf(infos, (info) => info.kind === 'checkbox')) {
      const line = lineAt(doc, i);
      const [, checked, unchecked] = form(random);
      line.text = line.text.replace(/<input\b[^>]*>/i, (tag) => (/\bchecked\b/i.test(tag) ? checked : unchecked));
    }
  };
}

/** Word and PDF converters often write a checkbox as a ballot-box character instead of HTML. */
const ballotBoxes: Edit = (doc, infos) => {
  for (const i of indicesOf(infos, (info) => info.kind === 'checkbox')) {
    const line = lineAt(doc, i);
    line.text = line.text.replace(/<input\b[^>]*>/i, (tag) => (/\bchecked\b/i.test(tag) ? '☑' : '☐'));
  }
};

/** "Codes:" — a sub-heading with the colon some converters keep from a run-in heading. */
const headingColons: Edit = (doc, infos) => {
  infos.forEach((info, i) => {
    if (info.kind !== 'subheading') return;
    const line = lineAt(doc, i);
    line.text = line.text.replace(/^(\s*)(.*?)(\s*)$/u, (_m, lead: string, heading: string, tail: string) => `${lead}${heading}:${tail}`);
  });
};

/** "STATEMENT ........ 2": a table of contents with dot leaders instead of a tab. */
const dotLeaders: Edit = (doc, infos, random) => {
  for (const i of indicesOf(infos, (info) => info.kind === 'toc')) {
    const line = lineAt(doc, i);
    line.text = line.text.replace(/\t+(?=\d+\s*$)/, () => ` ${'.'.repeat(between(random, 3, 40))} `);
  }
};

const HISTORY_CELL = /^(.*?)(<ul\b[^>]*>)(.*?)((?:<\/ul>)?)([ \t]*)$/i;

function rewriteHistory(cell: (ul: string, items: string[], body: string, closed: boolean) => string | null): Edit {
  return (doc, infos) => {
    for (const i of indicesOf(infos, (info) => info.kind === 'history-row')) {
      const line = lineAt(doc, i);
      const m = HISTORY_CELL.exec(line.text);
      if (!m || /<li\b/i.test(m[3] ?? '')) continue; // already in list-item form
      const items = (m[3] ?? '').split('•').map((item) => item.trim()).filter(Boolean);
      const replaced = cell(m[2] ?? '', items, m[3] ?? '', (m[4] ?? '') !== '');
      if (replaced !== null) line.text = (m[1] ?? '') + replaced + (m[5] ?? '');
    }
  };
}

// ---------------------------------------------------------------- entities

const NAMED_ENTITIES: Readonly<Record<string, string>> = { '’': 'rsquo', '‘': 'lsquo', '“': 'ldquo', '”': 'rdquo',
  '™': 'trade', '®': 'reg', '©': 'copy', 'é': 'eacute', 'ü': 'uuml', 'ö': 'ouml', '≥': 'ge', '≤': 'le', '²': 'sup2', '&': 'amp' };
/** Characters to encode; an '&' that already starts an entity is left alone so re-applying never double-encodes. */
const ENCODABLE = /[’‘“”™®©éüö≥≤²]|&(?!#?[a-zA-Z0-9]+;)/gu;
/** Tags and URLs are never touched: entities belong in text, not in attributes or addresses. */
const PROTECTED = /<[^>]*>|https?:\/\/[^\s<>]+/g;

function mapText(text: string, fn: (segment: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PROTECTED)) {
    out += fn(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + fn(text.slice(last));
}

type Encoding = (char: string, random: Random) => string;
const decimal: Encoding = (c) => `&#${c.codePointAt(0) ?? 38};`;
const named: Encoding = (c, r) => (NAMED_ENTITIES[c] ? `&${NAMED_ENTITIES[c]};` : decimal(c, r));
const hex: Encoding = (c) => `&#x${(c.codePointAt(0) ?? 38).toString(16).toUpperCase()};`;

const encodeEntities = (encoding: Encoding): Edit => (doc, _infos, random) => {
  for (const line of doc.lines) line.text = mapText(line.text, (s) => s.replace(ENCODABLE, (c) => encoding(c, random)));
};

/** Spaces (or literal U+00A0) between two words of block text become &nbsp;, never in the bullet prefix. */
const nbspEntities: Edit = (doc, infos, random) => {
  const BETWEEN_WORDS = /(?<=[\p{L}\p{N}])[ \u00A0](?=[\p{L}\p{N}])/gu;
  const blocks = indicesOf(infos, (info) => info.kind === 'bullet' || info.kind === 'paragraph');
  const rewrite = (chosen: ReadonlySet<number>): number => {
    let counter = 0;
    for (const i of blocks) {
      const line = lineAt(doc, i);
      const prefix = BULLET.exec(line.text)?.[0] ?? '';
      line.text = prefix + mapText(line.text.slice(prefix.length),
        (s) => s.replace(BETWEEN_WORDS, (space) => (chosen.has(counter++) ? '&nbsp;' : space)));
    }
    return counter;
  };
  const total = rewrite(new Set()); // first pass only counts candidates
  if (total > 0) rewrite(new Set(Array.from({ length: between(random, 1, 3) }, () => between(random, 0, total - 1))));
};

// ---------------------------------------------------------------- the catalogue

export const LAYOUT_VARIATIONS: readonly LayoutVariation[] = [
  variation('line-endings-crlf', 'line-endings', lineEndings(() => '\r\n')),
  variation('line-endings-cr', 'line-endings', lineEndings(() => '\r')),
  variation('line-endings-mixed', 'line-endings', mixedLineEndings),
  variation('bom', 'line-endings', (doc) => { doc.bom = true; }),
  variation('final-newline', 'line-endings', addFinalNewline),

  variation('trailing-whitespace', 'whitespace', trailingWhitespace),
  variation('whitespace-only-blank-lines', 'whitespace', whitespaceOnlyBlankLines),
  variation('extra-blank-lines', 'whitespace', extraBlankLines),
  variation('blank-lines-between-items', 'whitespace', blankLinesBetweenItems),

  variation('heading-case-section-title', 'heading-case', recaseHeadings((k) => (k === 'section' ? titleCase : null))),
  variation('heading-case-section-sentence', 'heading-case', recaseHeadings((k) => (k === 'section' ? sentenceCase : null))),
  variation('heading-case-sub-upper', 'heading-case', recaseHeadings((k) => (k === 'subheading' ? upperCase : null))),
  variation('heading-case-sub-lower', 'heading-case', recaseHeadings((k) => (k === 'subheading' ? lowerCase : null))),
  variation('heading-case-random-subset', 'heading-case', recaseHeadings((k, r) =>
    pick(r, k === 'section' ? [null, titleCase, sentenceCase] : [null, upperCase, lowerCase]))),

  ...MARKERS.flatMap(([name, marker]) => [
    variation(`bullet-marker-${name}`, 'bullets', markerEverywhere(marker)),
    variation(`bullet-marker-${name}-one-section`, 'bullets', markerInOneSection(marker)),
  ]),
  variation('bullet-marker-per-depth', 'bullets', rewriteBullets((b) => ({ marker: DEPTH_MARKERS[b.depth % 3] ?? '•' }))),

  variation('marker-space-tab', 'marker-space', rewriteBullets(() => ({ space: '\t' }))),
  variation('marker-space-two-spaces', 'marker-space', rewriteBullets(() => ({ space: '  ' }))),
  variation('marker-space-three-spaces', 'marker-space', rewriteBullets(() => ({ space: '   ' }))),
  variation('marker-space-nbsp', 'marker-space', rewriteBullets(() => ({ space: '\u00A0' }))),

  variation('indent-tab', 'indentation', reindent((d) => '\t'.repeat(d))),
  variation('indent-two-spaces', 'indentation', reindent((d) => '  '.repeat(d))),
  variation('indent-four-spaces', 'indentation', reindent((d) => '    '.repeat(d))),
  variation('indent-nbsp', 'indentation', reindent((d) => '\u00A0'.repeat(d))),
  variation('indent-base-two', 'indentation', reindent((d) => '  '.repeat(d + 1))),

  variation('cells-spaces', 'cells', recell((r) => ' '.repeat(between(r, 2, 6)),
    (_tail, r) => pick(r, ['', ' '.repeat(between(r, 1, 4))]))),
  variation('cells-tabs', 'cells', recell((r) => '\t'.repeat(between(r, 2, 3)),
    (tail, r) => tail.replace(/\t+/g, () => '\t'.repeat(between(r, 2, 3))))),

  variation('wrap-blank-lower', 'wraps', wrap('lower', true, false)),
  variation('wrap-blank-capital', 'wraps', wrap('capital', true, false)),
  variation('wrap-blank-digit', 'wraps', wrap('digit', true, false)),
  variation('wrap-no-blank', 'wraps', wrap('lower', false, true)),

  variation('code-dash-en-dash', 'code-dash', codeDash('–')),
  variation('code-dash-em-dash', 'code-dash', codeDash('—')),

  ...CHECKBOX_FORMS.map((form) => variation(`checkbox-${form[0]}`, 'checkbox', recheckbox(() => form))),
  variation('checkbox-mixed', 'checkbox', recheckbox((r) => pick(r, CHECKBOX_FORMS))),
  variation('checkbox-ballot-boxes', 'checkbox', ballotBoxes),
  variation('heading-colons-sub', 'heading-case', headingColons),
  variation('toc-dot-leaders', 'cells', dotLeaders),

  variation('history-ul-closed', 'history-ul', rewriteHistory((ul, _items, body, closed) =>
    (closed ? null : `${ul}${body.trimEnd()}</ul>`))),
  variation('history-ul-li', 'history-ul', rewriteHistory((_ul, items) =>
    (items.length === 0 ? null : `<ul><li>${items.join('</li><li>')}</li></ul>`))),

  variation('entities-named', 'entities', encodeEntities(named)),
  variation('entities-decimal', 'entities', encodeEntities(decimal)),
  variation('entities-hex', 'entities', encodeEntities(hex)),
  variation('entities-mixed', 'entities', encodeEntities((c, r) => pick(r, [named, decimal, hex])(c, r))),
  variation('entities-nbsp', 'entities', nbspEntities),
];

/** Applies `count` distinct randomly chosen variations in sequence (skipping those that return null). */
export function combineVariations(text: string, random: Random, count: number): { text: string; applied: string[] } {
  let current = text;
  const applied: string[] = [];
  for (const candidate of shuffle([...LAYOUT_VARIATIONS], random)) {
    if (applied.length >= count) break;
    const varied = candidate.apply(current, random);
    if (varied === null) continue;
    current = varied;
    applied.push(candidate.name);
  }
  return { text: current, applied };
}
