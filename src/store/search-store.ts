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

/** The FTS5 query (SQLite) and the tsquery text (PostgreSQL) for the words; the last word is a prefix (it may still be being typed). */
function matchExpressions(terms: readonly string[]): { fts: string; tsquery: string } {
  // Terms hold only letters and digits (searchTerms), so they are never query syntax on either side.
  return {
    fts: terms.map((term, index) => (index === terms.length - 1 ? `"${term}"*` : `"${term}"`)).join(' '),
    tsquery: terms.map((term, index) => (index === terms.length - 1 ? `${term}:*` : term)).join(' & '),
  };
}

/**
 * Full-text search with the same meaning on both providers: every word must match (English
 * stemming; the last word also as the start of a word), ranked best first, matches wrapped in
 * [[ ]]. SQLite uses FTS5 with bm25; PostgreSQL a GIN-indexed tsvector with ts_rank. Scores are
 * normalized so that higher is better on both. A page is `limit` hits after the first `offset`,
 * and the total is counted with the same condition.
 */
export async function searchEntries(client: Client, provider: Provider, text: string, asOf: Date | null, limit: number, offset = 0): Promise<{ rows: SearchRow[]; totalCount: number }> {
  const terms = searchTerms(text);
  if (terms.length === 0) return { rows: [], totalCount: 0 };
  const { fts, tsquery } = matchExpressions(terms);
  const bind = parameters(provider);
  const count = parameters(provider);
  if (provider === 'sqlite') {
    const where = (add: (value: unknown) => string): string => `"SearchEntry_fts" MATCH ${add(fts)} ${asOf ? `AND ${inEffectCondition(provider, 'v', asOf, add)}` : ''}`;
    const from = `"SearchEntry_fts" JOIN "SearchEntry" s ON s.rowid = "SearchEntry_fts".rowid JOIN "GuidelineVersion" v ON v."id" = s."versionId"`;
    const pageWhere = where(bind.add);
    const [rows, counted] = await Promise.all([
      client.$queryRawUnsafe<SearchRow[]>(
        `SELECT s."versionId" AS "versionId", s."section" AS "section", s."key" AS "key", s."text" AS "text",
                highlight("SearchEntry_fts", 0, '[[', ']]') AS "snippet", -bm25("SearchEntry_fts") AS "score"
           FROM ${from} WHERE ${pageWhere}
          ORDER BY "score" DESC, s."key" ASC, s."versionId" ASC LIMIT ${bind.add(limit)} OFFSET ${bind.add(offset)}`,
        ...bind.values,
      ),
      client.$queryRawUnsafe<{ total: number | bigint }[]>(`SELECT COUNT(*) AS "total" FROM ${from} WHERE ${where(count.add)}`, ...count.values),
    ]);
    return { rows, totalCount: Number(counted[0]?.total ?? 0) };
  }
  const where = (add: (value: unknown) => string): string => `to_tsvector('english', s."text") @@ to_tsquery('english', ${add(tsquery)}) ${asOf ? `AND ${inEffectCondition(provider, 'v', asOf, add)}` : ''}`;
  const from = `"SearchEntry" s JOIN "GuidelineVersion" v ON v."id" = s."versionId"`;
  const query = bind.add(tsquery);
  const pageWhere = where(bind.add);
  const [rows, counted] = await Promise.all([
    client.$queryRawUnsafe<SearchRow[]>(
      `SELECT s."versionId" AS "versionId", s."section" AS "section", s."key" AS "key", s."text" AS "text",
              ts_headline('english', s."text", to_tsquery('english', ${query}), 'StartSel=[[, StopSel=]], HighlightAll=true') AS "snippet",
              ts_rank(to_tsvector('english', s."text"), to_tsquery('english', ${query}))::float8 AS "score"
         FROM ${from} WHERE ${pageWhere}
        ORDER BY "score" DESC, s."key" ASC, s."versionId" ASC LIMIT ${bind.add(limit)} OFFSET ${bind.add(offset)}`,
      ...bind.values,
    ),
    client.$queryRawUnsafe<{ total: number | bigint }[]>(`SELECT COUNT(*) AS "total" FROM ${from} WHERE ${where(count.add)}`, ...count.values),
  ]);
  return { rows, totalCount: Number(counted[0]?.total ?? 0) };
}
