import type { BillingCode, BillingUnit, LineOfBusiness, SourceSpan } from '../domain/document.ts';
import { toBlocks } from './blocks.ts';
import type { CriterionContext } from './criteria.ts';
import { ParseCode } from './diagnostics.ts';
import { checkboxCell, inlineText, normalizeSpace } from './inline-html.ts';
import type { LineToken } from './lexer.ts';
import { normalizeUnit } from './limits.ts';
import { spanOf } from './source-lines.ts';

/** Between a code and its description: a hyphen, en dash or em dash with spaces around it. */
const CODE_DASHES = [' - ', ' – ', ' — '];

function systemOf(code: string): BillingCode['system'] {
  if (/^[A-V]\d{4}$/.test(code)) return 'HCPCS';
  if (/^\d{4}[0-9FTU]$/.test(code)) return 'CPT';
  if (/^\d{4,5}-\d{3,4}-\d{1,2}$/.test(code)) return 'NDC';
  return 'OTHER';
}

/** The billing unit is the last comma-separated part of a HCPCS description: "…, 1 microgram". */
export function parseBillingUnit(description: string): BillingUnit | null {
  const last = description.split(',').at(-1)?.trim() ?? '';
  const amount = /^(\d+(?:\.\d+)?) ?([A-Za-z]+)$/.exec(last);
  if (amount) return { amount: Number(amount[1]), unit: normalizeUnit(amount[2] ?? ''), text: last };
  const per = /^per ([A-Za-z]+)$/i.exec(last);
  if (per) return { amount: 1, unit: normalizeUnit(per[1] ?? ''), text: last };
  return null;
}

export function parseCodeLine(ordinal: number, text: string, span: SourceSpan): BillingCode | null {
  const trimmed = text.trim();
  const dash = CODE_DASHES.map((candidate) => ({ candidate, at: trimmed.indexOf(candidate) })).filter((found) => found.at > 0).sort((a, b) => a.at - b.at)[0];
  if (!dash) return null;
  const code = trimmed.slice(0, dash.at);
  const description = trimmed.slice(dash.at + dash.candidate.length).trim();
  if (!/^[A-Z0-9][A-Z0-9.-]*$/.test(code) || description === '') return null;
  return { ordinal, system: systemOf(code), code, description, billingUnit: parseBillingUnit(description), span };
}

/** Codes: one bullet per code, "CODE - description"; any other line is an error. */
export function parseCodes(tokens: readonly LineToken[], context: CriterionContext): BillingCode[] {
  const codes: BillingCode[] = [];
  // A line shaped like a code line is never a wrap of the one above: it is a code that lost its marker.
  for (const block of toBlocks(tokens, context.diagnostics, { startsBlock: (text) => parseCodeLine(0, text, { startLine: 0, endLine: 0 }) !== null })) {
    const code = block.kind === 'bullet' ? parseCodeLine(codes.length + 1, block.text, block.span) : null;
    if (code) codes.push(code);
    else context.diagnostics.error(ParseCode.MalformedCode, block.span.startLine, `line ${block.span.startLine} is not "CODE - description": "${block.text.slice(0, 80)}"`);
  }
  return codes;
}

const LINE_OF_BUSINESS_CODES: readonly [RegExp, string][] = [
  [/^CHIP\b/i, 'CHIP'],
  [/^Commercial\b/i, 'COMMERCIAL'],
  [/^Exchange|Marketplace/i, 'EXCHANGE_MARKETPLACE'],
  [/^Medicaid\b/i, 'MEDICAID'],
  [/^Medicare Advantage\b/i, 'MEDICARE_ADVANTAGE'],
  [/^Medicare\b/i, 'MEDICARE'],
];

export function lineOfBusinessCode(label: string): string {
  const known = LINE_OF_BUSINESS_CODES.find(([pattern]) => pattern.test(label));
  return known ? known[1] : label.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Checkboxes as converters write them without HTML: ballot boxes and bracket pairs. */
const TEXT_CHECKBOXES: readonly [string, boolean][] = [['☐', false], ['☑', true], ['☒', true], ['[ ]', false], ['[x]', true], ['[X]', true]];

/** The leading checkbox of a line and where its label starts: an HTML `<input type="checkbox">` in any spelling, or a text checkbox. */
function leadingCheckbox(text: string): { checked: boolean; labelStart: number } | null {
  const close = text.indexOf('>');
  if (text.toLowerCase().startsWith('<input') && close > 0) {
    const cell = checkboxCell(text.slice(0, close + 1));
    return cell ? { checked: cell.checked, labelStart: close + 1 } : null;
  }
  const box = TEXT_CHECKBOXES.find(([mark]) => text.startsWith(mark));
  return box ? { checked: box[1], labelStart: box[0].length } : null;
}

/** Lines "<checkbox> Name" (any separator, any form of the checkbox); checked means the guideline applies. */
export function parseLinesOfBusiness(tokens: readonly LineToken[], context: CriterionContext): LineOfBusiness[] {
  const lines: LineOfBusiness[] = [];
  for (const token of tokens) {
    if (token.kind === 'blank') continue;
    const text = token.line.text.trim();
    const checkbox = leadingCheckbox(text);
    const label = checkbox ? normalizeSpace(inlineText(text.slice(checkbox.labelStart))) : '';
    if (!checkbox || label === '') {
      context.diagnostics.error(ParseCode.UnrecognizedLine, token.line.number, `line ${token.line.number} of Applicable Lines of Business is not "<checkbox> name": "${normalizeSpace(inlineText(text)).slice(0, 80)}"`);
      continue;
    }
    const code = lineOfBusinessCode(label);
    if (lines.some((entry) => entry.code === code)) {
      context.diagnostics.error(ParseCode.DuplicateLineOfBusiness, token.line.number, `line of business ${label} is listed twice`);
    }
    lines.push({ ordinal: lines.length + 1, code, label, applicable: checkbox.checked, span: spanOf(token.line) });
  }
  return lines;
}
