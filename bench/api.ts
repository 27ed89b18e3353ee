/**
 * HTTP throughput of the API against bare node:http baselines, side by side in one run, on SQLite
 * and (with BENCH_PG_URL) PostgreSQL. Loopback only; each load is bounded in time.
 *
 *   npx tsx bench/api.ts [--seconds 10] [--connections 10]
 *
 * 1. Guideline detail query through Apollo vs a bare node:http server returning the same response,
 *    pre-serialized.
 * 2. evaluateRequest through Apollo (validation, decision, append-only insert) vs a bare node:http
 *    endpoint that calls the same rules core on the same body and returns JSON (no storage).
 * It also prints the SQL statements per operation for the detail and list queries.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pino from 'pino';
import { PLAYGROUND_EXAMPLES } from '../src/api/playground-examples.ts';
import { createApiServer } from '../src/api/server.ts';
import { createApiKey } from '../src/services/api-keys.ts';
import { decide } from '../src/rules/decide.ts';
import { readRequest } from '../src/rules/read-request.ts';
import { loadShippedGuidelines } from '../src/services/load-shipped-guidelines.ts';
import { VersionCatalog } from '../src/services/version-catalog.ts';
import { syntheticGuideline } from '../src/corpus/synthetic-guideline.ts';
import { ingestDocument } from '../src/services/ingest-document.ts';
import { prepareDatabase } from '../src/store/prepare-database.ts';
import { scratchDatabase } from '../test/support/test-database.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } } });
const duration = Number(values.seconds);
const connections = Number(values.connections);

const DETAIL = PLAYGROUND_EXAMPLES[0]?.query ?? '';
const LIST = `{ guidelines(first: 50) { edges { node { number currentVersion { title codes { code description } } } } } }`;
const evaluateExample = PLAYGROUND_EXAMPLES.find((example) => example.name === 'Evaluate a request');
if (!evaluateExample) throw new Error('no evaluate example');

/** The API key every benchmark request sends (the bare baselines ignore it). */
let authorization = '';

async function load(url: string, body: string): Promise<{ requests: number; errors: number; p99: number }> {
  const result = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json', authorization }, body, connections, duration });
  return { requests: result.requests.average, errors: result.errors + result.non2xx, p99: result.latency.p99 };
}

function listen(server: ReturnType<typeof createServer>): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function run(label: string, url: string, cleanup: () => Promise<void>): Promise<void> {
  const statements: string[] = [];
  const { database } = await prepareDatabase(url, { onQuery: (sql) => statements.push(sql) });
  try {
    await loadShippedGuidelines(database.client);
    for (let index = 0; index < 60; index += 1) {
      const { fileName, text } = syntheticGuideline(index);
      await ingestDocument(database.client, { fileName, bytes: new TextEncoder().encode(text) });
    }
    const api = await createApiServer({ database, databaseUrl: url, logger: pino({ level: 'silent' }), playground: false, introspection: false, anonymousRead: false });
    const apiUrl = `${await listen(api.http)}/graphql`;
    const { token } = await createApiKey(database.client, { name: 'bench', role: 'admin', expiresAt: null });
    authorization = `Bearer ${token}`;
    const post = async (query: string, variables?: unknown): Promise<string> =>
      (await fetch(apiUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) })).text();

    for (const [name, query] of [['detail', DETAIL], ['list of 50', LIST]] as const) {
      api.catalog.clear();
      statements.length = 0;
      await post(query);
      console.log(`${label}: ${name} query, cold cache: ${statements.length} SQL statements`);
    }
    statements.length = 0;
    await post(DETAIL);
    console.log(`${label}: detail query, warm cache: ${statements.length} SQL statements`);

    // 1. detail query vs pre-serialized bare server
    const detailBody = await post(DETAIL);
    const bare = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(detailBody);
      });
    });
    const bareUrl = await listen(bare);
    const apollo = await load(apiUrl, JSON.stringify({ query: DETAIL }));
    const baseline = await load(bareUrl, JSON.stringify({ query: DETAIL }));
    console.log(`${label}: detail query: API ${apollo.requests.toFixed(0)} req/s (p99 ${apollo.p99} ms, ${apollo.errors} errors) vs bare node:http ${baseline.requests.toFixed(0)} req/s: ratio ${(baseline.requests / apollo.requests).toFixed(1)}`);
    bare.close();

    // 2. evaluateRequest vs the same core behind a bare endpoint
    const catalog = new VersionCatalog(database.client);
    const version = await database.client.guidelineVersion.findFirstOrThrow({ where: { guideline: { number: 'Evolut_CG_3258' } }, select: { id: true } });
    const entry = await catalog.get(version.id);
    const ruleSet = entry?.compiledRuleSet;
    if (!ruleSet) throw new Error('Blincyto has no rule set');
    type EvaluateInput = { dateOfService: string; lineOfBusiness: string; facts: { key: string; value: unknown }[] };
    const bareCore = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { input: EvaluateInput } };
        const { request: core } = readRequest(ruleSet, { ...body.variables.input, evidence: [] });
        const decision = core ? decide(ruleSet, core) : null;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data: { evaluateRequest: { outcome: decision?.outcome, reasons: decision?.trace } } }));
      });
    });
    const bareCoreUrl = await listen(bareCore);
    const evaluateBody = JSON.stringify({ query: evaluateExample?.query, variables: evaluateExample?.variables });
    const evaluateApi = await load(apiUrl, evaluateBody);
    const evaluateBare = await load(bareCoreUrl, evaluateBody);
    console.log(`${label}: evaluateRequest: API ${evaluateApi.requests.toFixed(0)} req/s (p99 ${evaluateApi.p99} ms, ${evaluateApi.errors} errors, each stored) vs bare node:http + same core ${evaluateBare.requests.toFixed(0)} req/s (nothing stored): ratio ${(evaluateBare.requests / evaluateApi.requests).toFixed(1)}`);
    bareCore.close();
    await api.stop();
  } finally {
    await database.close();
    await cleanup();
  }
}

const sqlite = await scratchDatabase(null, 'bench');
await run('SQLite', sqlite.url, sqlite.drop);
const pgServer = process.env['BENCH_PG_URL'];
if (pgServer) {
  const postgres = await scratchDatabase(pgServer, 'bench');
  await run('PostgreSQL', postgres.url, postgres.drop);
} else {
  console.log('PostgreSQL: skipped (set BENCH_PG_URL=postgresql://… to a server where a database may be created)');
}
