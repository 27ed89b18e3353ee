import { findGuidelinesByNumbers, pageOfMatchingGuidelines, versionSummaries } from '../store/guideline-reader.ts';
import type { VersionSummary } from '../store/guideline-reader.ts';
import type { Client, Database, Provider } from '../store/database.ts';
import { epochDay } from '../domain/calendar.ts';
import { versionInEffect } from '../domain/effective-period.ts';
import { badInput, DomainError } from '../domain/errors.ts';
import type { VersionCatalog } from './version-catalog.ts';

export interface GuidelineSelector {
  readonly guidelineNumber?: string | null;
  readonly hcpcsCode?: string | null;
  readonly drug?: string | null;
}

/** Finds the one guideline a request names, by number, billing code or drug name. */
export async function resolveGuideline(client: Client, provider: Provider, selector: GuidelineSelector): Promise<{ id: string; number: string }> {
  const given = (['guidelineNumber', 'hcpcsCode', 'drug'] as const).filter((key) => selector[key] !== undefined && selector[key] !== null);
  if (given.length !== 1) throw badInput('give exactly one of guidelineNumber, hcpcsCode, drug', [{ field: 'guidelineNumber', message: `got ${given.length ? given.join(', ') : 'none'}` }]);
  const field = given[0] as (typeof given)[number];
  const value = String(selector[field]).trim();
  if (value === '' || value.length > 100) throw badInput(`${field} must be 1 to 100 characters`, [{ field, message: 'bad length' }]);
  if (field === 'guidelineNumber') {
    const [row] = await findGuidelinesByNumbers(client, [value]);
    if (!row) throw new DomainError('NOT_FOUND', `no guideline ${value}`, [{ field, message: 'unknown guideline number' }]);
    return row;
  }
  const { rows, totalCount } = await pageOfMatchingGuidelines(client, provider, field === 'hcpcsCode' ? { hcpcsCode: value } : { drug: value }, null, 5);
  if (totalCount === 0) throw new DomainError('NOT_FOUND', `no guideline for ${field} ${value}`, [{ field, message: 'no guideline lists it' }]);
  if (totalCount > 1) throw badInput(`${field} ${value} matches ${totalCount} guidelines (${rows.map((r) => r.number).join(', ')}${totalCount > rows.length ? ', …' : ''}); name one by guidelineNumber`, [{ field, message: 'ambiguous' }]);
  return rows[0] as { id: string; number: string };
}

/**
 * A guideline's versions (remembered until the catalog changes, as evaluateRequest reads them) and
 * the one in effect on a day (YYYY-MM-DD; null when none is, or the day is not a date).
 */
export async function versionsOn(database: Database, catalog: VersionCatalog, guidelineId: string, day: string): Promise<{ summaries: readonly VersionSummary[]; inEffect: VersionSummary | null }> {
  const summaries = await catalog.lookup(`versions\u0000${guidelineId}`, () => versionSummaries(database.client, [guidelineId]));
  const epoch = epochDay(day);
  return { summaries, inEffect: epoch === null ? null : versionInEffect(summaries, new Date(epoch * 86_400_000)) };
}
