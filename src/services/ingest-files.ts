import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Database } from '../store/database.ts';
import type { IngestInput, IngestOptions, IngestResult } from './ingest-document.ts';
import { IngestCode, ingestDocuments, MAX_DOCUMENT_BYTES, MAX_RULE_SET_BYTES, refusedUnreadResult, tooLargeResult } from './ingest-document.ts';

/** Guideline documents are the .txt files of the given paths; folders are searched recursively. */
export function expandDocumentPaths(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    // Symbolic links are listed too, so that they are reported (refused unless followed), never skipped unseen.
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.txt'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  });
}

/**
 * A document's rule set is the file with the same name and the extension .rules.yaml; the rule
 * set's own test cases, if it has them, are beside it as .cases.yaml.
 */
export function ruleSetBeside(documentPath: string, baseDir: string): NonNullable<IngestInput['ruleSet']> | undefined {
  const path = documentPath.replace(/\.txt$/, '.rules.yaml');
  if (path === documentPath || !existsSync(path)) return undefined;
  // A file too large to be a rule set is measured, never read (a 42 MB "rule set" once took 3.6 GB).
  const read = (file: string) => {
    const byteLength = statSync(file).size;
    return { fileName: relative(baseDir, file) || file, text: byteLength > MAX_RULE_SET_BYTES ? '' : readFileSync(file, 'utf8'), byteLength };
  };
  const casesPath = documentPath.replace(/\.txt$/, '.cases.yaml');
  return { ...read(path), ...(existsSync(casesPath) ? { cases: read(casesPath) } : {}) };
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
  options: IngestOptions & { readonly batchDocuments?: number; readonly followSymlinks?: boolean } = {},
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
    const fileName = relative(baseDir, file) || file;
    slots.push(undefined);
    if (!options.followSymlinks && lstatSync(file).isSymbolicLink()) {
      slots[index] = refusedUnreadResult(fileName, IngestCode.Symlink, 'the file is a symbolic link; links are not followed unless asked (--follow-symlinks)');
      continue;
    }
    const size = statSync(file).size;
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
