import { badInput } from '../domain/errors.ts';
import type { Database } from '../store/database.ts';
import type { SearchRow } from '../store/search-store.ts';
import { searchEntries, searchTerms } from '../store/search-store.ts';

/** Version ids in effect at an instant: the latest started version of each guideline. */
async function versionsInEffect(database: Database, at: Date): Promise<string[]> {
  const started = await database.client.guidelineVersion.findMany({ where: { effectiveFrom: { lte: at } }, select: { id: true, guidelineId: true, effectiveFrom: true } });
  const latest = new Map<string, { id: string; effectiveFrom: Date }>();
  for (const version of started) {
    const current = latest.get(version.guidelineId);
    if (!current || current.effectiveFrom < version.effectiveFrom) latest.set(version.guidelineId, version);
  }
  return [...latest.values()].map((version) => version.id);
}

export async function searchGuidelines(database: Database, text: string, asOf: Date | null, first: number): Promise<SearchRow[]> {
  if (text.length > 500) throw badInput('search text is at most 500 characters', [{ field: 'text', message: 'too long' }]);
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1 to 100', [{ field: 'first', message: 'out of range' }]);
  if (searchTerms(text).length === 0) throw badInput('search text has no words', [{ field: 'text', message: 'no words' }]);
  const versionIds = asOf ? await versionsInEffect(database, asOf) : null;
  return searchEntries(database.client, database.provider, text, versionIds, first);
}
