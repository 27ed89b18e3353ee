import { createHash, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Diagnostic, GuidelineDocument } from '../domain/document.ts';
import { catalogChanged } from './catalog-generation.ts';
import { bindRuleSetText, readYaml, ruleSetDiagnostics, schemaProblemPath } from './rule-set-diagnostics.ts';
import type { CompiledRuleSet } from '../rules/compile-rule-set.ts';
import { runRuleSetCases, validateRuleSetCases } from '../rules/rule-set-cases.ts';
import { parseGuideline } from '../document/parse-guideline.ts';
import { toVersionRecords } from '../records/version-records.ts';
import type { Database } from '../store/database.ts';
import type { RuleSetInput, SaveOutcome } from '../store/guideline-writer.ts';
import type { VersionToSave } from '../store/version-batch-writer.ts';
import { saveVersions } from '../store/version-batch-writer.ts';

/** Guideline documents are a few tens of kilobytes; anything this large is not one. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
/** A rule set (or its cases) is a few kilobytes of YAML; the largest shipped is under 40 KB. */
export const MAX_RULE_SET_BYTES = 512 * 1024;

export const IngestCode = {
  EmptyFile: 'INGEST_EMPTY_FILE',
  TooLarge: 'INGEST_TOO_LARGE',
  BinaryFile: 'INGEST_BINARY_FILE',
  InvalidEncoding: 'INGEST_INVALID_ENCODING',
  VersionConflict: 'INGEST_VERSION_CONFLICT',
  RuleSetInvalid: 'INGEST_RULE_SET_INVALID',
  RuleSetTooLarge: 'INGEST_RULE_SET_TOO_LARGE',
  Symlink: 'INGEST_SYMLINK',
  CasesInvalid: 'INGEST_CASES_INVALID',
  CaseFailed: 'RULES_CASE_FAILED',
} as const;

export interface IngestInput {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  /** The reviewed rule set authored beside the document, if there is one (YAML), with its own test cases if it has them. */
  readonly ruleSet?: { readonly fileName: string; readonly text: string; readonly byteLength?: number; readonly cases?: { readonly fileName: string; readonly text: string; readonly byteLength?: number } | undefined } | undefined;
}

export interface IngestResult {
  readonly fileName: string;
  readonly status: 'loaded' | 'unchanged' | 'rules-attached' | 'rejected';
  /** Whether the version has a reviewed rule set attached by this ingestion or before. */
  readonly decidable: boolean | null;
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
  return refusedUnreadResult(fileName, IngestCode.TooLarge, tooLargeMessage(byteLength));
}

/** A file refused before it was read (too large, a symbolic link). */
export function refusedUnreadResult(fileName: string, code: string, message: string): IngestResult {
  return { fileName, status: 'rejected', guidelineNumber: null, versionId: null, sha256: null, decidable: null, diagnostics: [{ code, severity: 'error', message, line: 1 }] };
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

export interface IngestOptions {
  /**
   * The id source for the new rows of a document, given its SHA-256 (default random UUIDs): a test
   * passes counters per document to compare the rows two writers store.
   */
  readonly idsFor?: (sha256: string) => () => string;
  /** When the batch was received (default now): the stored ingestion and attachment instants. */
  readonly at?: Date;
}

/** A document read and checked, waiting for its batch to be written; or already refused. */
type Prepared = { readonly result: IngestResult } | { readonly save: VersionToSave; readonly base: Omit<IngestResult, 'status' | 'versionId' | 'decidable'>; readonly document: GuidelineDocument; readonly hasRuleSet: boolean };

function prepare(input: IngestInput, idsFor: (sha256: string) => () => string): Prepared {
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const newId = idsFor(sha256);
  const base = { fileName: input.fileName, sha256, decidable: null };
  const checked = rejectBytes(input.bytes);
  if ('diagnostic' in checked) return { result: { ...base, status: 'rejected', guidelineNumber: null, versionId: null, diagnostics: [checked.diagnostic] } };

  const { document, diagnostics } = parseGuideline(checked.text);
  if (!document) return { result: { ...base, status: 'rejected', guidelineNumber: null, versionId: null, diagnostics } };
  const guidelineNumber = document.header.guidelineNumber;
  for (const file of [input.ruleSet, input.ruleSet?.cases]) {
    const size = file ? (file.byteLength ?? new TextEncoder().encode(file.text).byteLength) : 0;
    if (file && size > MAX_RULE_SET_BYTES) {
      const problem = { code: IngestCode.RuleSetTooLarge, severity: 'error' as const, message: `${file.fileName} has ${size} bytes; a rule set or its cases has at most ${MAX_RULE_SET_BYTES}`, line: 1, file: file.fileName };
      return { result: { ...base, status: 'rejected', guidelineNumber, versionId: null, diagnostics: [...diagnostics, problem] } };
    }
  }
  const ruleSet = input.ruleSet ? checkRuleSet(input.ruleSet, document) : null;
  if (ruleSet && 'problems' in ruleSet) {
    return { result: { ...base, status: 'rejected', guidelineNumber, versionId: null, diagnostics: [...diagnostics, ...ruleSet.problems] } };
  }
  const versionId = newId();
  const sourceDocumentId = newId();
  return {
    document,
    hasRuleSet: ruleSet !== null,
    base: { fileName: input.fileName, sha256, guidelineNumber, diagnostics },
    save: {
      guidelineNumber,
      // Readers see the file's base name, never the operator's path (`../../etc/…`).
      source: { id: sourceDocumentId, sha256, text: checked.text, byteLength: input.bytes.byteLength, fileName: basename(input.fileName) },
      buildRecords: ({ guidelineId }) => toVersionRecords(document, diagnostics, { versionId, guidelineId, sourceDocumentId, newId }),
      newGuidelineId: newId(),
      ruleSet: ruleSet?.row ?? null,
      newRuleSetId: newId(),
    },
  };
}

/**
 * A batch of documents, one transaction: each document's bytes are checked, parsed and its rule set
 * compiled and tested; then every accepted document is written with all its parts, or (on a
 * database error) none is. Each document keeps its own outcome: idempotent on the SHA-256 of its
 * bytes, a rule set attached once, a second document for a month already published a conflict.
 */
export async function ingestDocuments(database: Database, inputs: readonly IngestInput[], options: IngestOptions = {}): Promise<IngestResult[]> {
  const idsFor = options.idsFor ?? (() => randomUUID);
  const prepared = inputs.map((input) => prepare(input, idsFor));
  const toSave = prepared.flatMap((entry) => ('save' in entry ? [entry.save] : []));
  const outcomes = await saveVersions(database, toSave, options.at ?? new Date());
  let next = 0;
  const results = prepared.map((entry): IngestResult => {
    if ('result' in entry) return entry.result;
    const outcome = outcomes[next++] as SaveOutcome;
    if (outcome.status === 'conflict') {
      return {
        ...entry.base, status: 'rejected', versionId: null, decidable: null,
        diagnostics: [...entry.base.diagnostics, { code: IngestCode.VersionConflict, severity: 'error', message: outcome.message, line: entry.document.header.datesSpan.startLine }],
      };
    }
    return { ...entry.base, status: outcome.status, versionId: outcome.versionId, decidable: outcome.status === 'unchanged' ? null : entry.hasRuleSet };
  });
  if (outcomes.some((outcome) => outcome.status === 'loaded' || outcome.status === 'rules-attached')) catalogChanged();
  return results;
}

/** One document in a transaction of its own. */
export async function ingestDocument(database: Database, input: IngestInput, options: IngestOptions = {}): Promise<IngestResult> {
  return (await ingestDocuments(database, [input], options))[0] as IngestResult;
}

/** A rule set's own cases must all pass before it may decide anything (as `opa test` gates a bundle). */
function checkCases(file: { fileName: string; text: string }, ruleSet: CompiledRuleSet): Diagnostic[] {
  const read = readYaml(file, IngestCode.CasesInvalid);
  if ('problem' in read) return [read.problem];
  const { cases, problems } = validateRuleSetCases(read.value);
  if (!cases) return ruleSetDiagnostics(file.fileName, file.text, problems.map((message) => ({ code: IngestCode.CasesInvalid, ...schemaProblemPath(message) })));
  const failed = runRuleSetCases(ruleSet, cases).flatMap((result, index) => (result.failures.length === 0 ? [] : [{
    code: IngestCode.CaseFailed, message: `case "${result.name}" fails: ${result.failures.join('; ')}`, path: ['cases', index] as const,
    hint: 'fix the rule set, or the case if the rule set is right and the case was wrong',
  }]));
  return ruleSetDiagnostics(file.fileName, file.text, failed);
}

/** Validates and compiles a rule set against the parsed document, then runs its cases: any problem rejects the whole ingestion. */
function checkRuleSet(file: NonNullable<IngestInput['ruleSet']>, document: GuidelineDocument): { row: RuleSetInput } | { problems: Diagnostic[] } {
  const bound = bindRuleSetText(file, document, IngestCode.RuleSetInvalid);
  if ('problems' in bound) return bound;
  const { source, ruleSet } = bound;
  if (file.cases) {
    const failed = checkCases(file.cases, ruleSet);
    if (failed.length > 0) return { problems: failed };
  }
  return {
    row: {
      name: source.name,
      sha256: createHash('sha256').update(file.text).digest('hex'),
      fileName: basename(file.fileName),
      source: file.text,
      reviewedBy: source.reviewedBy,
      reviewedOn: source.reviewedOn,
    },
  };
}
