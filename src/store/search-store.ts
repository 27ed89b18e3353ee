import type { Client, Provider } from './database.ts';
import { inEffectCondition, parameters } from './guideline-reader.ts';

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
export async function searchEntries(client: Client, provider: Provider, text: string, asOf: Date | null, limit: number): Promise<SearchRow[]> {
  const terms = searchTerms(text);
  if (terms.length === 0) return [];
  const bind = parameters(provider);
  // "As of" a date: only entries of the version in effect then, decided in the query by a join.
  if (provider === 'sqlite') {
    const match = bind.add(terms.map((term) => `"${term}"`).join(' '));
    const filter = asOf ? `AND ${inEffectCondition(provider, 'v', asOf, bind.add)}` : '';
    return client.$queryRawUnsafe<SearchRow[]>(
      `SELECT s."versionId" AS "versionId", s."section" AS "section", s."key" AS "key", s."text" AS "text",
              highlight("SearchEntry_fts", 0, '[[', ']]') AS "snippet", -bm25("SearchEntry_fts") AS "score"
         FROM "SearchEntry_fts" JOIN "SearchEntry" s ON s.rowid = "SearchEntry_fts".rowid JOIN "GuidelineVersion" v ON v."id" = s."versionId"
        WHERE "SearchEntry_fts" MATCH ${match} ${filter}
        ORDER BY "score" DESC, s."key" ASC LIMIT ${bind.add(limit)}`,
      ...bind.values,
    );
  }
  const query = bind.add(terms.join(' '));
  const filter = asOf ? `AND ${inEffectCondition(provider, 'v', asOf, bind.add)}` : '';
  return client.$queryRawUnsafe<SearchRow[]>(
    `SELECT s."versionId" AS "versionId", s."section" AS "section", s."key" AS "key", s."text" AS "text",
            ts_headline('english', s."text", q, 'StartSel=[[, StopSel=]], HighlightAll=true') AS "snippet",
            ts_rank(to_tsvector('english', s."text"), q)::float8 AS "score"
       FROM "SearchEntry" s JOIN "GuidelineVersion" v ON v."id" = s."versionId", plainto_tsquery('english', ${query}) q
      WHERE to_tsvector('english', s."text") @@ q ${filter}
      ORDER BY "score" DESC, s."key" ASC LIMIT ${bind.add(limit)}`,
    ...bind.values,
  );
}
