import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { VersionRecords } from '../records/version-records.ts';
import type { Database } from './database.ts';
import { isUniqueViolation } from './database.ts';
import type { RuleSetInput, SaveOutcome, SourceDocumentInput } from './guideline-writer.ts';
import { saveVersion } from './guideline-writer.ts';
import { whenNotBusy } from './sqlite-busy.ts';

/** One document's version, as `saveVersion` takes it. */
export interface VersionToSave {
  readonly guidelineNumber: string;
  readonly source: SourceDocumentInput;
  readonly buildRecords: (ids: { guidelineId: string }) => VersionRecords;
  readonly newGuidelineId: string;
  readonly ruleSet: RuleSetInput | null;
  /** The id of the rule-set row, if one is written. */
  readonly newRuleSetId: string;
}

/** What the database already holds for a batch: read once per batch, then updated as the batch is planned. */
interface Known {
  /** By source SHA-256: the version parsed from it, and the SHA-256 of its rule set. */
  readonly sources: Map<string, { versionId: string | null; ruleSetSha256: string | null }>;
  /** By guideline number: its id. */
  readonly guidelines: Map<string, string>;
  /** By "number|YYYY-MM": the version implemented that month. */
  readonly months: Map<string, string>;
}

type Row = Record<string, unknown>;

/** Arbitrary but fixed (beside the audit chain's): the advisory lock that serializes ingestion batches on PostgreSQL. */
const INGEST_LOCK_ID = 72707371;

/** Rows to insert, table by table, in foreign-key order (parents first; criteria are ordered parents first too). */
const TABLES = [
  ['Guideline', []],
  ['SourceDocument', []],
  ['GuidelineVersion', ['numberLineCells', 'headerSpans', 'tableOfContents', 'headings', 'diagnostics']],
  ['Passage', []],
  ['DiseaseSection', []],
  ['Population', ['groups', 'markers']],
  ['Criterion', []],
  ['QuantitativeLimit', ['per']],
  ['BillingCode', []],
  ['VersionLineOfBusiness', []],
  ['PolicyHistoryEntry', ['items']],
  ['Reference', []],
  ['SearchEntry', []],
  ['RuleSet', []],
] as const satisfies readonly (readonly [string, readonly string[]])[];
type Table = (typeof TABLES)[number][0];

interface Plan {
  readonly outcomes: SaveOutcome[];
  readonly rows: Map<Table, Row[]>;
}

/**
 * Decides each document of the batch in order, as `saveVersion` would one transaction each:
 * idempotent on the source's SHA-256, a rule set attached once, a second document for a month that
 * already has a version a conflict. Earlier documents of the same batch count as stored.
 */
function plan(items: readonly VersionToSave[], known: Known, at: Date): Plan {
  const rows = new Map<Table, Row[]>(TABLES.map(([table]) => [table, []]));
  const add = (table: Table, list: readonly object[]): void => {
    (rows.get(table) as Row[]).push(...(list as Row[]));
  };
  const outcomes = items.map((item): SaveOutcome => {
    const { guidelineNumber, source, ruleSet } = item;
    const existing = known.sources.get(source.sha256);
    if (existing) {
      if (!existing.versionId || !ruleSet || existing.ruleSetSha256 === ruleSet.sha256) return { status: 'unchanged', versionId: existing.versionId };
      if (existing.ruleSetSha256) {
        return { status: 'conflict', versionId: existing.versionId, message: `${guidelineNumber}: this version already has a different rule set; rule sets are never replaced` };
      }
      add('RuleSet', [{ id: item.newRuleSetId, ...ruleSet, versionId: existing.versionId, attachedAt: at }]);
      known.sources.set(source.sha256, { versionId: existing.versionId, ruleSetSha256: ruleSet.sha256 });
      return { status: 'rules-attached', versionId: existing.versionId };
    }
    let guidelineId = known.guidelines.get(guidelineNumber);
    const newGuideline = guidelineId === undefined;
    guidelineId ??= item.newGuidelineId;
    const records = item.buildRecords({ guidelineId });
    const month = `${guidelineNumber}|${records.version.implementationMonth}`;
    const sameMonth = known.months.get(month);
    if (sameMonth) {
      return {
        status: 'conflict',
        versionId: sameMonth,
        message: `${guidelineNumber} already has a different published version implemented ${records.version.implementationMonth}; published versions never change`,
      };
    }
    if (newGuideline) {
      add('Guideline', [{ id: guidelineId, number: guidelineNumber, createdAt: at }]);
      known.guidelines.set(guidelineNumber, guidelineId);
    }
    add('SourceDocument', [{ ...source, receivedAt: at }]);
    add('GuidelineVersion', [{ ...records.version, ingestedAt: at }]);
    add('Passage', records.passages);
    add('DiseaseSection', records.diseaseSections);
    add('Population', records.populations);
    add('Criterion', records.criteria);
    add('QuantitativeLimit', records.limits);
    add('BillingCode', records.codes);
    add('VersionLineOfBusiness', records.linesOfBusiness);
    add('PolicyHistoryEntry', records.policyHistory);
    add('Reference', records.references);
    add('SearchEntry', records.searchEntries);
    if (ruleSet) add('RuleSet', [{ id: item.newRuleSetId, ...ruleSet, versionId: records.version.id, attachedAt: at }]);
    known.sources.set(source.sha256, { versionId: records.version.id, ruleSetSha256: ruleSet?.sha256 ?? null });
    known.months.set(month, records.version.id);
    return { status: 'loaded', versionId: records.version.id };
  });
  return { outcomes, rows };
}

const KNOWN_SOURCES = (list: string) =>
  `SELECT s."sha256", v."id" AS "versionId", r."sha256" AS "ruleSetSha256" FROM "SourceDocument" s LEFT JOIN "GuidelineVersion" v ON v."sourceDocumentId" = s."id" LEFT JOIN "RuleSet" r ON r."versionId" = v."id" WHERE s."sha256" IN (${list})`;
const KNOWN_GUIDELINES = (list: string) => `SELECT "id", "number" FROM "Guideline" WHERE "number" IN (${list})`;
const KNOWN_MONTHS = (list: string) =>
  `SELECT g."number", v."implementationMonth", v."id" FROM "GuidelineVersion" v JOIN "Guideline" g ON g."id" = v."guidelineId" WHERE g."number" IN (${list})`;

interface KnownRows {
  readonly sources: readonly { sha256: string; versionId: string | null; ruleSetSha256: string | null }[];
  readonly guidelines: readonly { id: string; number: string }[];
  readonly months: readonly { number: string; implementationMonth: string; id: string }[];
}

function knownFrom(rows: KnownRows): Known {
  return {
    sources: new Map(rows.sources.map((row) => [row.sha256, { versionId: row.versionId, ruleSetSha256: row.ruleSetSha256 }])),
    guidelines: new Map(rows.guidelines.map((row) => [row.number, row.id])),
    months: new Map(rows.months.map((row) => [`${row.number}|${row.implementationMonth}`, row.id])),
  };
}

/** Prisma's SQLite encoding of a DateTime: ISO text with an explicit "+00:00". */
const sqliteInstant = (date: Date): string => date.toISOString().replace('Z', '+00:00');
/** PostgreSQL TIMESTAMP(3) has no time zone: the instant as UTC text. */
const postgresInstant = (date: Date): string => date.toISOString().replace('Z', '');

function rowsAsJson(rows: readonly Row[], instant: (date: Date) => string): string {
  // Instants are only ever top-level columns; converted here rather than by a replacer, which
  // JSON.stringify would call for every value of every nested column.
  const dated = Object.entries(rows[0] as Row).filter(([, value]) => value instanceof Date).map(([column]) => column);
  if (dated.length === 0) return JSON.stringify(rows);
  return JSON.stringify(rows.map((row) => {
    const copy = { ...row };
    for (const column of dated) copy[column] = instant(row[column] as Date);
    return copy;
  }));
}

/**
 * One prepared statement per table and column list: the whole batch's rows arrive as one JSON
 * array, read by json_each (SQLite) or json_populate_recordset (PostgreSQL), so the statement never
 * depends on the number of rows and no parameter limit applies.
 */
function sqliteInsert(table: Table, columns: readonly string[], jsonColumns: readonly string[]): string {
  const values = columns.map((column) => `value ${jsonColumns.includes(column) ? '->' : '->>'} '$.${column}'`).join(', ');
  return `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) SELECT ${values} FROM json_each(?)`;
}

function postgresInsert(table: Table, columns: readonly string[]): string {
  const list = columns.map((column) => `"${column}"`).join(', ');
  return `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(null::"${table}", $1::json)`;
}

const sqliteStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function sqliteStatement(connection: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let statements = sqliteStatements.get(connection);
  if (!statements) sqliteStatements.set(connection, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
  return statement;
}

function saveOnSqlite(connection: BetterSqlite3.Database, items: readonly VersionToSave[], at: Date): SaveOutcome[] {
  const list = (values: readonly string[]) => JSON.stringify([...new Set(values)]);
  const run = connection.transaction(() => {
    const hashes = list(items.map((item) => item.source.sha256));
    const numbers = list(items.map((item) => item.guidelineNumber));
    const inList = 'SELECT value FROM json_each(?)';
    const known = knownFrom({
      sources: sqliteStatement(connection, KNOWN_SOURCES(inList)).all(hashes) as KnownRows['sources'],
      guidelines: sqliteStatement(connection, KNOWN_GUIDELINES(inList)).all(numbers) as KnownRows['guidelines'],
      months: sqliteStatement(connection, KNOWN_MONTHS(inList)).all(numbers) as KnownRows['months'],
    });
    const { outcomes, rows } = plan(items, known, at);
    for (const [table, jsonColumns] of TABLES) {
      const tableRows = rows.get(table) as Row[];
      if (tableRows.length === 0) continue;
      const columns = Object.keys(tableRows[0] as Row);
      sqliteStatement(connection, sqliteInsert(table, columns, jsonColumns)).run(rowsAsJson(tableRows, sqliteInstant));
    }
    return outcomes;
  });
  return run.immediate();
}

async function saveOnPostgres(pool: pg.Pool, items: readonly VersionToSave[], at: Date): Promise<SaveOutcome[]> {
  const connection = await pool.connect();
  try {
    await connection.query('BEGIN');
    try {
      // One ingestion batch at a time, as SQLite's BEGIN IMMEDIATE gives: what is known is then read
      // after every earlier batch committed. Without it, under READ COMMITTED, a batch could see
      // another ingestion's version for a month but not its source, and call an identical document a conflict.
      await connection.query(`SELECT pg_advisory_xact_lock(${INGEST_LOCK_ID})`);
      const hashes = [...new Set(items.map((item) => item.source.sha256))];
      const numbers = [...new Set(items.map((item) => item.guidelineNumber))];
      const known = knownFrom({
        sources: (await connection.query({ name: 'batch-known-sources', text: KNOWN_SOURCES('SELECT unnest($1::text[])'), values: [hashes] })).rows,
        guidelines: (await connection.query({ name: 'batch-known-guidelines', text: KNOWN_GUIDELINES('SELECT unnest($1::text[])'), values: [numbers] })).rows,
        months: (await connection.query({ name: 'batch-known-months', text: KNOWN_MONTHS('SELECT unnest($1::text[])'), values: [numbers] })).rows,
      });
      const { outcomes, rows } = plan(items, known, at);
      for (const [table] of TABLES) {
        const tableRows = rows.get(table) as Row[];
        if (tableRows.length === 0) continue;
        const text = postgresInsert(table, Object.keys(tableRows[0] as Row));
        await connection.query({ name: `batch-insert-${table}-${text.length}`, text, values: [rowsAsJson(tableRows, postgresInstant)] });
      }
      await connection.query('COMMIT');
      return outcomes;
    } catch (error) {
      await connection.query('ROLLBACK');
      throw error;
    }
  } finally {
    connection.release();
  }
}

/**
 * Writes a batch of versions in one transaction, with the same outcomes, document by document, as
 * `saveVersion` gives one transaction each, and the same rows. A batch is written whole or not at
 * all. The hot path goes to the driver under Prisma's adapter: a handful of prepared statements
 * per batch instead of a dozen Prisma queries per document.
 */
export async function saveVersions(database: Database, items: readonly VersionToSave[], at: Date): Promise<SaveOutcome[]> {
  if (items.length === 0) return [];
  const { driver } = database;
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (driver?.provider === 'sqlite') return await whenNotBusy(() => saveOnSqlite(driver.connection, items, at), 30_000);
      if (driver?.provider === 'postgresql') return await saveOnPostgres(driver.pool, items, at);
      const outcomes: SaveOutcome[] = [];
      for (const item of items) outcomes.push(await saveVersion(database.client, item.guidelineNumber, item.source, item.buildRecords, item.newGuidelineId, item.ruleSet, at, item.newRuleSetId));
      return outcomes;
    } catch (error) {
      // Another ingestion committed one of these documents (or guidelines) first: plan again; the
      // winner's rows are then known, and those documents are "unchanged".
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}
