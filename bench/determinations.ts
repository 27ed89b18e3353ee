/**
 * The auditors' determinations query at a realistic size: a decision log of a million rows (one
 * year, 6 guidelines, 5 lines of business, 20 API keys, every outcome; each row carries a real
 * determination's stored facts and result), queried through the real server in its own process by
 * a single client in another (latency, not throughput), for each kind of filter. The baseline is
 * the same page read by the database itself (the equivalent SQL on the driver, in this process: the
 * listed columns and each row's summary, as the page asks for): the ratio is what the API adds to
 * the database's own work.
 *
 *   npx tsx bench/determinations.ts [--rows 1000000] [--seconds 10]      (BENCH_PG_URL=… adds PostgreSQL)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createApiKey } from '../src/services/api-keys.ts';
import { evaluateRequest } from '../src/services/evaluate-request.ts';
import { loadShippedGuidelines } from '../src/services/load-shipped-guidelines.ts';
import { VersionCatalog } from '../src/services/version-catalog.ts';
import { sqlitePath } from '../src/store/database.ts';
import { prepareDatabase } from '../src/store/prepare-database.ts';
import { scratchDatabase } from '../test/support/test-database.ts';
import { API_READY, BENCH_KEY_RATE, measure, rssMegabytes, start } from './support/processes.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, seconds: { type: 'string', default: '10' } } });
const rows = Math.min(Number(values.rows), 5_000_000);
const seconds = String(Math.min(Number(values.seconds), 60));
const START = Date.parse('2025-12-01T00:00:00Z');
const STEP_SECONDS = Math.max(1, Math.floor((365 * 86_400) / rows));
const at = (n: number): string => new Date(START + n * STEP_SECONDS * 1000).toISOString();

const PAGE = `query($filter: DeterminationFilter, $first: Int, $after: String) { determinations(filter: $filter, first: $first, after: $after) {
  edges { cursor node { id outcome finalStatus guidelineNumber dateOfService lineOfBusiness summary createdAt askedBy { apiKeyId } } } pageInfo { hasNextPage endCursor } } }`;
const COUNTED = PAGE.replace('determinations(filter: $filter, first: $first, after: $after) {', 'determinations(filter: $filter, first: $first, after: $after) { totalCount');

interface Kind { name: string; bodies: string[]; sql: { where: string; params: unknown[]; count?: boolean } }

function kinds(): Kind[] {
  const body = (query: string, variables: unknown) => JSON.stringify({ query, variables });
  const month = [at(Math.floor(rows * 0.5)), at(Math.floor(rows * 0.5) + Math.floor((30 * 86_400) / STEP_SECONDS))];
  const deep = at(Math.floor(rows * 0.3));
  const cursor = Buffer.from(`determination:${deep}|ffffffff-ffff-4fff-bfff-ffffffffffff`).toString('base64url');
  return [
    { name: 'newest 50, no filter', bodies: [body(PAGE, { first: 50 })], sql: { where: '1 = 1', params: [] } },
    { name: 'reviewer worklist (guideline, PENDED)', bodies: [body(PAGE, { first: 50, filter: { guidelineNumber: 'Evolut_CG_3258', outcomes: ['PENDED'] } })], sql: { where: `"guidelineNumber" = ? AND "outcome" IN ('PENDED')`, params: ['Evolut_CG_3258'] } },
    { name: 'line of business in a month', bodies: [body(PAGE, { first: 50, filter: { lineOfBusiness: 'MEDICAID', decidedFrom: month[0], decidedBefore: month[1] } })], sql: { where: `"lineOfBusiness" = ? AND "createdAt" >= ? AND "createdAt" < ?`, params: ['MEDICAID', month[0], month[1]] } },
    { name: 'one API key', bodies: [body(PAGE, { first: 50, filter: { apiKeyId: 'bench-key-7' } })], sql: { where: `"callerKeyId" = ?`, params: ['bench-key-7'] } },
    { name: 'page deep in the log (cursor)', bodies: [body(PAGE, { first: 50, after: cursor })], sql: { where: `"createdAt" <= ? AND ("createdAt" < ? OR ("createdAt" = ? AND "id" < ?))`, params: [deep, deep, deep, 'ffffffff-ffff-4fff-bfff-ffffffffffff'] } },
    { name: 'guideline + outcome with totalCount', bodies: [body(COUNTED, { first: 50, filter: { guidelineNumber: 'Evolut_CG_3301', outcomes: ['DENIED'] } })], sql: { where: `"guidelineNumber" = ? AND "outcome" IN ('DENIED')`, params: ['Evolut_CG_3301'], count: true } },
  ];
}

/** A million rows in one statement per provider: ids, categories and instants computed from the row number. */
function generateSql(provider: 'sqlite' | 'postgresql', versions: string[], numbers: string[]): string {
  const pick = (list: string[], expression: string) => `CASE ${expression} ${list.map((item, index) => `WHEN ${index} THEN '${item}'`).join(' ')} END`;
  const lines = ['COMMERCIAL', 'MEDICAID', 'MEDICARE', 'CHIP', 'EXCHANGE_MARKETPLACE'];
  const outcome = `CASE WHEN (n * 37) % 100 < 60 THEN 'APPROVED' WHEN (n * 37) % 100 < 75 THEN 'DENIED' WHEN (n * 37) % 100 < 90 THEN 'PENDED' WHEN (n * 37) % 100 < 97 THEN 'INCOMPLETE' ELSE 'NOT_APPLICABLE' END`;
  if (provider === 'sqlite') {
    const created = `strftime('%Y-%m-%dT%H:%M:%S.000+00:00', ${START / 1000} + n * ${STEP_SECONDS}, 'unixepoch')`;
    return `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${rows})
      INSERT INTO "Determination" ("id", "callerKeyId", "callerRole", "requestSha256", "guidelineNumber", "versionId", "dateOfService", "lineOfBusiness", "outcome", "whatIf", "expedited", "factsUsed", "evidence", "result", "createdAt")
      SELECT printf('%08x-0000-4000-8000-%012d', n, n), 'bench-key-' || (n % 20), 'evaluator', printf('%064d', n), ${pick(numbers, 'n % 6')}, ${pick(versions, 'n % 6')},
        date(${START / 1000} + n * ${STEP_SECONDS} - 86400 * (n % 20), 'unixepoch'), ${pick(lines, '(n / 7) % 5')}, ${outcome}, (n % 20 = 0), (n % 5 = 0), :facts, '[]', :result, ${created} FROM g`;
  }
  const created = `to_timestamp(${START / 1000} + n * ${STEP_SECONDS}) AT TIME ZONE 'UTC'`;
  return `INSERT INTO "Determination" ("id", "callerKeyId", "callerRole", "requestSha256", "guidelineNumber", "versionId", "dateOfService", "lineOfBusiness", "outcome", "whatIf", "expedited", "factsUsed", "evidence", "result", "createdAt")
    SELECT lpad(to_hex(n), 8, '0') || '-0000-4000-8000-' || lpad(n::text, 12, '0'), 'bench-key-' || (n % 20), 'evaluator', lpad(n::text, 64, '0'), ${pick(numbers, 'n % 6')}, ${pick(versions, 'n % 6')},
      to_char((to_timestamp(${START / 1000} + n * ${STEP_SECONDS} - 86400 * (n % 20)) AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'), ${pick(lines, '(n / 7) % 5')}, ${outcome}, (n % 20 = 0), (n % 5 = 0), $1::jsonb, '[]'::jsonb, $2::jsonb, ${created}
    FROM generate_series(1, ${rows}) AS n`;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;

async function run(label: string, postgresServer: string | null): Promise<void> {
  const scratch = await scratchDatabase(postgresServer, 'determinations');
  const work = mkdtempSync(join(tmpdir(), 'bench-determinations-'));
  try {
    const { database } = await prepareDatabase(scratch.url);
    await loadShippedGuidelines(database);
    // One real determination, whose stored facts and result every generated row carries.
    const sample = await evaluateRequest(database, new VersionCatalog(database.client), {
      guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL',
      facts: [{ key: 'requestedDosePerDayMcg', value: 28 }, { key: 'knownHypersensitivity', value: false }, { key: 'singleAgent', value: true }],
    });
    const stored = await database.client.determination.findUniqueOrThrow({ where: { id: sample.id } });
    const versions = await database.client.guidelineVersion.findMany({ select: { id: true, guideline: { select: { number: true } } }, take: 6, orderBy: { id: 'asc' } });
    const numbers = versions.map((version) => version.guideline.number);
    const facts = JSON.stringify(stored.factsUsed);
    const result = JSON.stringify(stored.result);
    const { token } = await createApiKey(database.client, { name: 'bench auditor', role: 'auditor', expiresAt: null });
    const generating = performance.now();
    if (database.provider === 'sqlite') {
      const raw = new Database(sqlitePath(scratch.url));
      raw.prepare(generateSql('sqlite', versions.map((version) => version.id), numbers)).run({ facts, result });
      raw.exec('ANALYZE');
      raw.close();
    } else {
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      await client.query(generateSql('postgresql', versions.map((version) => version.id), numbers), [facts, result]);
      await client.query('ANALYZE "Determination"');
      await client.end();
    }
    await database.close();
    console.log(`\n${label}: ${rows.toLocaleString('en-US')} determinations generated in ${((performance.now() - generating) / 1000).toFixed(1)} s (${(result.length + facts.length).toLocaleString('en-US')} bytes of stored facts and result each)`);

    // The baseline: the page (and the count) straight from the database, in this process.
    const direct = database.provider === 'sqlite' ? new Database(sqlitePath(scratch.url), { readonly: true }) : null;
    const pool = database.provider === 'postgresql' ? new pg.Client({ connectionString: scratch.url }) : null;
    await pool?.connect();
    const baseline = async (kind: Kind): Promise<number[]> => {
      // What the API reads for this page: the listed columns and each summary (not the whole stored result).
      const summary = direct ? `json_extract("result", '$.summary')` : `"result"->>'summary'`;
      const page = `SELECT "id", "outcome", "guidelineNumber", "versionId", "dateOfService", "lineOfBusiness", "whatIf", "expedited", "callerKeyId", "callerRole", "createdAt", ${summary} AS "summary"
        FROM "Determination" WHERE ${kind.sql.where} ORDER BY "createdAt" DESC, "id" DESC LIMIT 51`;
      const count = `SELECT COUNT(*) FROM "Determination" WHERE ${kind.sql.where}`;
      const timings: number[] = [];
      for (let i = 0; i < 60; i += 1) {
        const begun = performance.now();
        if (direct) {
          direct.prepare(page).all(...kind.sql.params);
          if (kind.sql.count) direct.prepare(count).get(...kind.sql.params);
        } else if (pool) {
          let index = 0;
          const numbered = (sql: string): string => sql.replace(/\?/g, () => `$${(index += 1)}`);
          const params = kind.sql.params.map((value) => (typeof value === 'string' && /T\d\d:/.test(value) ? value.replace('Z', '') : value));
          await pool.query(numbered(page), params);
          index = 0;
          if (kind.sql.count) await pool.query(numbered(count), params);
        }
        timings.push(performance.now() - begun);
      }
      return timings.sort((a, b) => a - b);
    };

    const server = await start(['src/cli/start.ts'], { ...process.env, DATABASE_URL: scratch.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', RESPONSE_CACHE: 'false', RATE_LIMIT_PER_KEY: BENCH_KEY_RATE }, API_READY);
    try {
      const url = `http://127.0.0.1:${server.port}/graphql`;
      console.log('| query | API p50 ms | API p99 ms | API mean ms | server CPU µs/req | database alone p50 ms | database alone p99 ms | ratio (mean / database p50) |');
      console.log('|---|---|---|---|---|---|---|---|');
      for (const kind of kinds()) {
        const sql = await baseline(kind);
        const measured = await measure(work, server.child.pid as number, url, kind.bodies, `Bearer ${token}`, seconds, '1');
        if (measured.failed > 0) throw new Error(`${kind.name}: ${measured.failed} requests failed`);
        const sqlP50 = percentile(sql, 0.5);
        // One client: the mean latency is exact (autocannon's percentiles are whole milliseconds).
        const mean = 1000 / measured.requestsPerSecond;
        console.log(`| ${kind.name} | ${measured.p50} | ${measured.p99} | ${mean.toFixed(2)} | ${Math.round(measured.cpuMicrosPerRequest)} | ${sqlP50.toFixed(2)} | ${percentile(sql, 0.99).toFixed(2)} | ${(mean / sqlP50).toFixed(1)} |`);
      }
      // The year's CMS-0057-F figures over every row, read a page at a time: time and the server's memory.
      const rssBefore = rssMegabytes(server.child.pid as number);
      const begun = performance.now();
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ priorAuthorizationMetrics(from: "2025-12-01", to: "2026-12-01") { overall { requests decided } byGuideline { group requests } } }' }) });
      const metrics = (await answer.json()) as { data?: { priorAuthorizationMetrics: { overall: { requests: number } } } };
      console.log(`\npriorAuthorizationMetrics over the year: ${metrics.data?.priorAuthorizationMetrics.overall.requests.toLocaleString('en-US')} requests in ${((performance.now() - begun) / 1000).toFixed(1)} s; server RSS ${rssBefore} → ${rssMegabytes(server.child.pid as number)} MB`);
    } finally {
      server.child.kill('SIGTERM');
      direct?.close();
      await pool?.end();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await scratch.drop();
  }
}

await run('SQLite', null);
if (process.env['BENCH_PG_URL']) await run('PostgreSQL', process.env['BENCH_PG_URL']);
