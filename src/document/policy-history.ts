import type { Heading, PolicyHistoryEntry } from '../domain/document.ts';
import type { CriterionContext } from './criteria.ts';
import { parseYearMonth } from './dates.ts';
import { ParseCode } from './diagnostics.ts';
import { inlineText, listCellItems, normalizeSpace } from './inline-html.ts';
import type { LineToken } from './lexer.ts';
import { splitCells } from './lexer.ts';
import { spanOf } from './source-lines.ts';

/** A row starts with its month and year, then the items cell, whatever separates them. */
const LEADING_MONTH = /^([A-Za-z]+\.?)\s+(\d{4})(?=\s|<|$)/;

/** POLICY HISTORY: a "Date | Summary" header, then "Month YYYY | <ul> • item • item" rows. */
export function parsePolicyHistory(tokens: readonly LineToken[], context: CriterionContext): { rows: PolicyHistoryEntry[]; header: Heading | null } {
  const rows: PolicyHistoryEntry[] = [];
  let header: Heading | null = null;
  for (const token of tokens) {
    if (token.kind === 'blank') continue;
    const text = token.line.text.trim();
    const cells = splitCells(text).map((cell) => normalizeSpace(inlineText(cell)).toLowerCase());
    if (header === null && rows.length === 0 && cells.length === 2 && cells[0] === 'date' && cells[1] === 'summary') {
      header = { text: 'Date Summary', level: 3, span: spanOf(token.line) };
      continue;
    }
    const month = LEADING_MONTH.exec(text);
    const date = month ? parseYearMonth(`${month[1]} ${month[2]}`) : null;
    const items = month ? listCellItems(text.slice(month[0].length)) : [];
    if (!date || items.length === 0) {
      context.diagnostics.error(ParseCode.MalformedHistoryRow, token.line.number, `line ${token.line.number} of POLICY HISTORY is not "Month YYYY <items>": "${normalizeSpace(inlineText(text)).slice(0, 80)}"`);
      continue;
    }
    rows.push({ ordinal: rows.length + 1, date, items, span: spanOf(token.line) });
  }
  return { rows, header };
}
