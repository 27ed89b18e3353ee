import { fileURLToPath } from 'node:url';
import type { Client } from '../store/database.ts';
import type { IngestSummary } from './ingest-files.ts';
import { expandDocumentPaths, ingestFiles } from './ingest-files.ts';

export const SHIPPED_GUIDELINES_DIR = fileURLToPath(new URL('../../guidelines', import.meta.url));

/** Loads the guideline documents shipped in guidelines/ (idempotent: unchanged files write nothing). */
export async function loadShippedGuidelines(client: Client): Promise<IngestSummary> {
  return ingestFiles(client, expandDocumentPaths([SHIPPED_GUIDELINES_DIR]), () => {}, fileURLToPath(new URL('../../', import.meta.url)));
}
