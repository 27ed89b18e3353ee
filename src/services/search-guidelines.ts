import { badInput } from '../domain/errors.ts';
import type { Database } from '../store/database.ts';
import type { SearchRow } from '../store/search-store.ts';
import { searchEntries, searchTerms } from '../store/search-store.ts';

export async function searchGuidelines(database: Database, text: string, asOf: Date | null, first: number): Promise<SearchRow[]> {
  if (text.length > 500) throw badInput('search text is at most 500 characters', [{ field: 'text', message: 'too long' }]);
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1 to 100', [{ field: 'first', message: 'out of range' }]);
  if (searchTerms(text).length === 0) throw badInput('search text has no words', [{ field: 'text', message: 'no words' }]);
  return searchEntries(database.client, database.provider, text, asOf, first);
}
