import type { Provider } from '../database.ts';

/** Tables our hand-written SQL creates and Prisma's differ must ignore (the FTS5 index and its shadow tables). */
export const EXTERNAL_TABLES: Record<Provider, string[]> = {
  sqlite: ['SearchEntry_fts', 'SearchEntry_fts_data', 'SearchEntry_fts_idx', 'SearchEntry_fts_docsize', 'SearchEntry_fts_config'],
  postgresql: [],
};
