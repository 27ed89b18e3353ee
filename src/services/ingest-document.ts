import { createHash, randomUUID } from 'node:crypto';
import type { Diagnostic } from '../domain/document.ts';
import { parseGuideline } from '../document/parse-guideline.ts';
import { toVersionRecords } from '../records/version-records.ts';
import type { Client } from '../store/database.ts';
import { saveVersion } from '../store/guideline-writer.ts';

/** Guideline documents are a few tens of kilobytes; anything this large is not one. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export const IngestCode = {
  EmptyFile: 'INGEST_EMPTY_FILE',
  TooLarge: 'INGEST_TOO_LARGE',
  BinaryFile: 'INGEST_BINARY_FILE',
  InvalidEncoding: 'INGEST_INVALID_ENCODING',
  VersionConflict: 'INGEST_VERSION_CONFLICT',
} as const;

export interface IngestInput {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export interface IngestResult {
  readonly fileName: string;
  readonly status: 'loaded' | 'unchanged' | 'rejected';
  readonly guidelineNumber: string | null;
  readonly versionId: string | null;
  /** Null when the file was refused unread (too large). */
  readonly sha256: string | null;
  readonly diagnostics: readonly Diagnostic[];
}

function tooLargeMessage(byteLength: number): string {
  return `the file has ${byteLength} bytes; a guideline document has at most ${MAX_DOCUMENT_BYTES}`;
}

/** For callers that know the size before reading: a huge file is refused without loading it. */
export function tooLargeResult(fileName: string, byteLength: number): IngestResult {
  return {
    fileName, status: 'rejected', guidelineNumber: null, versionId: null, sha256: null,
    diagnostics: [{ code: IngestCode.TooLarge, severity: 'error', message: tooLargeMessage(byteLength), line: 1 }],
  };
}

function rejectBytes(bytes: Uint8Array): { diagnostic: Diagnostic } | { text: string } {
  const error = (code: string, message: string, line = 1): { diagnostic: Diagnostic } => ({ diagnostic: { code, severity: 'error', message, line } });
  if (bytes.byteLength === 0) return error(IngestCode.EmptyFile, 'the file is empty');
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
    return error(IngestCode.TooLarge, tooLargeMessage(bytes.byteLength));
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return error(IngestCode.BinaryFile, 'the file contains NUL bytes: it is not a text document', lineAt(bytes, nul));
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return error(IngestCode.InvalidEncoding, 'the file is not valid UTF-8', firstInvalidUtf8Line(bytes));
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (bytes[i] === 0x0a) line += 1;
  return line;
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let start = 0;
  for (let line = 1; start <= bytes.length; line += 1) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
  }
  return 1;
}

/**
 * One document, one transaction: checks the bytes, parses, and writes the version with all its
 * parts, or writes nothing. Idempotent on the SHA-256 of the bytes.
 */
export async function ingestDocument(client: Client, input: IngestInput): Promise<IngestResult> {
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const base = { fileName: input.fileName, sha256 };
  const checked = rejectBytes(input.bytes);
  if ('diagnostic' in checked) return { ...base, status: 'rejected', guidelineNumber: null, versionId: null, diagnostics: [checked.diagnostic] };

  const { document, diagnostics } = parseGuideline(checked.text);
  if (!document) return { ...base, status: 'rejected', guidelineNumber: null, versionId: null, diagnostics };
  const guidelineNumber = document.header.guidelineNumber;
  const versionId = randomUUID();
  const sourceDocumentId = randomUUID();
  const outcome = await saveVersion(
    client,
    guidelineNumber,
    { id: sourceDocumentId, sha256, text: checked.text, byteLength: input.bytes.byteLength, fileName: input.fileName },
    ({ guidelineId }) => toVersionRecords(document, diagnostics, { versionId, guidelineId, sourceDocumentId, newId: randomUUID }),
    randomUUID(),
  );
  if (outcome.status === 'conflict') {
    return {
      ...base, status: 'rejected', guidelineNumber, versionId: null,
      diagnostics: [...diagnostics, { code: IngestCode.VersionConflict, severity: 'error', message: outcome.message, line: document.header.datesSpan.startLine }],
    };
  }
  return { ...base, status: outcome.status, guidelineNumber, versionId: outcome.versionId, diagnostics };
}
