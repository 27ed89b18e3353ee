import type { BillingCode, BillingUnit, SourceSpan } from '../domain/document.ts';
import { normalizeUnit } from './limits.ts';

const CODE_LINE = /^([A-Z0-9][A-Z0-9.-]*?)\s+[-–]\s+(.+)$/;

function systemOf(code: string): BillingCode['system'] {
  if (/^[A-V]\d{4}$/.test(code)) return 'HCPCS';
  if (/^\d{4}[0-9FTU]$/.test(code)) return 'CPT';
  if (/^\d{4,5}-\d{3,4}-\d{1,2}$/.test(code)) return 'NDC';
  return 'OTHER';
}

/** The billing unit is the last comma-separated part of a HCPCS description: "…, 1 microgram". */
export function parseBillingUnit(description: string): BillingUnit | null {
  const last = description.split(',').at(-1)?.trim() ?? '';
  const amount = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(last);
  if (amount) return { amount: Number(amount[1]), unit: normalizeUnit(amount[2] ?? ''), text: last };
  const per = /^per\s+([A-Za-z]+)$/i.exec(last);
  if (per) return { amount: 1, unit: normalizeUnit(per[1] ?? ''), text: last };
  return null;
}

export function parseCodeLine(ordinal: number, text: string, span: SourceSpan): BillingCode | null {
  const match = CODE_LINE.exec(text.trim());
  if (!match) return null;
  const code = match[1] ?? '';
  const description = (match[2] ?? '').trim();
  return { ordinal, system: systemOf(code), code, description, billingUnit: parseBillingUnit(description), span };
}
