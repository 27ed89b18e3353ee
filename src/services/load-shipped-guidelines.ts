import { fileURLToPath } from 'node:url';
import type { Database } from '../store/database.ts';
import type { IngestSummary } from './ingest-files.ts';
import { expandDocumentPaths, ingestFiles } from './ingest-files.ts';

export const SHIPPED_GUIDELINES_DIR = fileURLToPath(new URL('../../guidelines', import.meta.url));

/** Loads the guideline documents shipped in guidelines/ (idempotent: unchanged files write nothing). */
export async function loadShippedGuidelines(database: Database): Promise<IngestSummary> {
  return ingestFiles(database, expandDocumentPaths([SHIPPED_GUIDELINES_DIR]), () => {}, fileURLToPath(new URL('../../', import.meta.url)));
}
