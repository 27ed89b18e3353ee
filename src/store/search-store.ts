import type { Client, Provider } from './database.ts';

export interface SearchRow {
  readonly versionId: string;
  readonly section: string;
  readonly key: string;
  readonly text: string;
  readonly snippet: string;
  readonly score: number;
}

/** Words of the query, stripped of search-syntax characters so user text is never query syntax. */
export function searchTerms(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0).slice(0, 20);
}

/**
 * Full-text search with the same meaning on both providers: every word must match (English
 * stemming), ranked best first, matches wrapped in [[ ]]. SQLite uses FTS5 with bm25; PostgreSQL a
 * GIN-indexed tsvector with ts_rank. Scores are normalized so that higher is better on both.
 */
export async function searchEntries(client: Client, provider: Provider, text: string, versionIds: readonly string[] | null, limit: number): Promise<SearchRow[]> {
  const terms = searchTerms(text);
  if (terms.length === 0 || (versionIds !== null && versionIds.length === 0)) return [];
  if (provider === 'sqlite') {
    const match = terms.map((term) => `"${term}"`).join(' ');
    const filter = versionIds ? `AND s."versionId" IN (${versionIds.map(() => '?').join(', ')})` : '';
    return client.$queryRawUnsafe<SearchRow[]>(
      `SELECT s."versionId" AS "versionId", s."section" AS "section", s."key" AS "key", s."text" AS "text",
              highlight("SearchEntry_fts", 0, '[[', ']]') AS "snippet", -bm25("SearchEntry_fts") AS "score"
         FROM "SearchEntry_fts" JOIN "SearchEntry" s ON s.rowid = "SearchEntry_fts".rowid
        WHERE "SearchEntry_fts" MATCH ? ${filter}
        ORDER BY "score" DESC, s."key" ASC LIMIT ?`,
      match, ...(versionIds ?? []), limit,
    );
  }
  const filter = versionIds ? `AND s."versionId" IN (${versionIds.map((_, index) => `$${index + 3}`).join(', ')})` : '';
  return client.$queryRawUnsafe<SearchRow[]>(
    `SELECT s."versionId" AS "versionId", s."section" AS "section", s."key" AS "key", s."text" AS "text",
            ts_headline('english', s."text", q, 'StartSel=[[, StopSel=]], HighlightAll=true') AS "snippet",
            ts_rank(to_tsvector('english', s."text"), q)::float8 AS "score"
       FROM "SearchEntry" s, plainto_tsquery('english', $1) q
      WHERE to_tsvector('english', s."text") @@ q ${filter}
      ORDER BY "score" DESC, s."key" ASC LIMIT $2`,
    terms.join(' '), limit, ...(versionIds ?? []),
  );
}
