import { badInput } from '../domain/errors.ts';
import type { Database } from '../store/database.ts';
import type { SearchRow } from '../store/search-store.ts';
import { searchEntries, searchTerms } from '../store/search-store.ts';

/** How deep a search may page: ranked hits past this are not worth reading, and an offset costs its depth. */
export const MAX_SEARCH_OFFSET = 10_000;

/**
 * A page of ranked hits. `versionsOn` limits hits to the versions in effect on that day (today's
 * versions unless the caller asked for another day or for every version: null).
 */
export async function searchGuidelines(database: Database, text: string, versionsOn: Date | null, first: number, offset = 0): Promise<{ rows: SearchRow[]; totalCount: number }> {
  if (text.length > 500) throw badInput('search text is at most 500 characters', [{ field: 'text', message: 'too long' }]);
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1 to 100', [{ field: 'first', message: 'out of range' }]);
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_SEARCH_OFFSET) throw badInput(`a search pages at most ${MAX_SEARCH_OFFSET} hits deep`, [{ field: 'after', message: 'too deep' }]);
  if (searchTerms(text).length === 0) throw badInput('search text has no words', [{ field: 'text', message: 'no words' }]);
  return searchEntries(database.client, database.provider, text, versionsOn, first, offset);
}
