import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Database } from '../store/database.ts';
import type { IngestInput, IngestOptions, IngestResult } from './ingest-document.ts';
import { ingestDocuments, MAX_DOCUMENT_BYTES, tooLargeResult } from './ingest-document.ts';

/** Guideline documents are the .txt files of the given paths; folders are searched recursively. */
export function expandDocumentPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.txt'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  });
}

/**
 * A document's rule set is the file with the same name and the extension .rules.yaml; the rule
 * set's own test cases, if it has them, are beside it as .cases.yaml.
 */
export function ruleSetBeside(documentPath: string, baseDir: string): { fileName: string; text: string; cases?: { fileName: string; text: string } } | undefined {
  const path = documentPath.replace(/\.txt$/, '.rules.yaml');
  if (path === documentPath || !existsSync(path)) return undefined;
  const casesPath = documentPath.replace(/\.txt$/, '.cases.yaml');
  const cases = existsSync(casesPath) ? { cases: { fileName: relative(baseDir, casesPath) || casesPath, text: readFileSync(casesPath, 'utf8') } } : {};
  return { fileName: relative(baseDir, path) || path, text: readFileSync(path, 'utf8'), ...cases };
}

export interface IngestSummary {
  readonly results: IngestResult[];
  readonly loaded: number;
  readonly unchanged: number;
  readonly rulesAttached: number;
  readonly rejected: number;
}

/** Documents per transaction: enough to spread a commit's cost, few enough that a lock is held briefly. */
export const INGEST_BATCH_DOCUMENTS = 100;
/** And at most this many bytes of documents read and held at once. */
const INGEST_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Ingests files in batches (one transaction each, every document keeping its own outcome);
 * `onResult` reports progress as each batch commits.
 */
export async function ingestFiles(
  database: Database,
  files: readonly string[],
  onResult: (result: IngestResult) => void = () => {},
  baseDir = process.cwd(),
  options: IngestOptions & { readonly batchDocuments?: number } = {},
): Promise<IngestSummary> {
  const batchDocuments = options.batchDocuments ?? INGEST_BATCH_DOCUMENTS;
  const results: IngestResult[] = [];
  let batch: { index: number; input: IngestInput }[] = [];
  let batchBytes = 0;
  const slots: (IngestResult | undefined)[] = [];
  const flush = async (): Promise<void> => {
    const written = await ingestDocuments(database, batch.map((entry) => entry.input), options);
    batch.forEach((entry, position) => (slots[entry.index] = written[position]));
    batch = [];
    batchBytes = 0;
    // Report in file order: refused-unread files wait for the batch before them.
    while (results.length < slots.length && slots[results.length] !== undefined) {
      const result = slots[results.length] as IngestResult;
      results.push(result);
      onResult(result);
    }
  };
  for (const [index, file] of files.entries()) {
    const size = statSync(file).size;
    const fileName = relative(baseDir, file) || file;
    slots.push(undefined);
    if (size > MAX_DOCUMENT_BYTES) {
      slots[index] = tooLargeResult(fileName, size);
      continue;
    }
    if (batch.length >= batchDocuments || batchBytes + size > INGEST_BATCH_BYTES) await flush();
    batch.push({ index, input: { fileName, bytes: readFileSync(file), ruleSet: ruleSetBeside(file, baseDir) } });
    batchBytes += size;
  }
  await flush();
  return {
    results,
    loaded: results.filter((result) => result.status === 'loaded').length,
    unchanged: results.filter((result) => result.status === 'unchanged').length,
    rulesAttached: results.filter((result) => result.status === 'rules-attached').length,
    rejected: results.filter((result) => result.status === 'rejected').length,
  };
}
