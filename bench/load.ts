/**
 * Bounded load test: a mixed workload held for a fixed time at a fixed concurrency against the
 * real server (`npm start`'s entry) in its own process, the load generator in another, loopback
 * only, on a catalog of the shipped guidelines plus 1,000 synthetic ones. The mix cycles through
 * many distinct request bodies, so the response cache both hits and misses: detail queries of 40
 * guidelines, filtered lists on 4 dates, searches for 6 terms, lookups by HCPCS code, and stored
 * evaluateRequest calls with 6 different doses. Prints throughput, p50/p99 latency, failures,
 * server CPU per request and its RSS at start and end (sampled every 10 s), on SQLite and (with
 * BENCH_PG_URL) PostgreSQL. It stops by itself.
 *
 *   npx tsx bench/load.ts [--seconds 60] [--connections 20] [--guidelines 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PLAYGROUND_EXAMPLES } from '../src/api/playground-examples.ts';
import { createApiKey } from '../src/services/api-keys.ts';
import { ingestDocuments } from '../src/services/ingest-document.ts';
import { loadShippedGuidelines } from '../src/services/load-shipped-guidelines.ts';
import { prepareDatabase } from '../src/store/prepare-database.ts';
import { scratchDatabase } from '../test/support/test-database.ts';
import { API_READY, BENCH_KEY_RATE, measure, rssMegabytes, start, syntheticCatalogDocuments } from './support/processes.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, connections: { type: 'string', default: '20' }, guidelines: { type: 'string', default: '1000' } } });
const seconds = String(Math.min(Number(values.seconds), 300));
const connections = String(Math.min(Number(values.connections), 200));
const count = Number(values.guidelines);

const example = (name: string) => PLAYGROUND_EXAMPLES.find((candidate) => candidate.name === name) as (typeof PLAYGROUND_EXAMPLES)[number];
const byCode = example('Lookup by HCPCS code as of a date');
const search = example('Search');
const evaluate = example('Evaluate a request');
const DETAIL = `query($number: String!) { guideline(number: $number) { number brandName versions { id implementationDate decidable } currentVersion {
  title indications { heading populations { key text scenarios { key text } } } contraindications { key text }
  exclusions { key text limits { kind amount unit } } linesOfBusiness { code applicable } codes { code description billingUnit { amount unit } } } } }`;
const LIST = `query($on: Date) { guidelines(first: 50, effectiveOn: $on) { totalCount edges { node { number currentVersion { title implementationDate codes { code } } } } } }`;
const body = (query: string, variables: unknown) => JSON.stringify({ query, variables });

function mix(): string[] {
  const numbers = ['Evolut_CG_3258', 'Evolut_CG_3301', 'Evolut_CG_3340', 'Evolut_CG_3312', ...Array.from({ length: 36 }, (_, i) => `Evolut_CG_${50000 + Math.floor((i * count) / 36)}`)];
  const details = numbers.map((number) => body(DETAIL, { number }));
  const lists = ['2026-06-01', '2020-01-01', '2024-03-15', '2030-01-01'].map((on) => body(LIST, { on }));
  const searches = ['blinatumomab', 'leukemia', 'hypersensitivity', 'dose', 'lymphoma', 'progression'].map((text) => body(search.query, { ...search.variables, text }));
  const codes = [body(byCode.query, byCode.variables)];
  const base = evaluate.variables as { input: { facts: { key: string; value: unknown }[] } };
  const evaluations = [9, 15, 28, 28.5, 20, 5].map((dose) => body(evaluate.query, { input: { ...base.input, facts: base.input.facts.map((fact) => (fact.key === 'requestedDosePerDayMcg' ? { ...fact, value: dose } : fact)) } }));
  // Interleaved, so every stretch of the run sees every kind: 40 details, 4 lists, 6 searches, 1 code, 6 evaluations.
  const kinds = [details, lists, searches, codes, evaluations];
  const longest = Math.max(...kinds.map((kind) => kind.length));
  return Array.from({ length: longest }, (_, i) => kinds.map((kind) => kind[i % kind.length] as string)).flat();
}

async function run(label: string, postgresServer: string | null): Promise<void> {
  const scratch = await scratchDatabase(postgresServer, 'load');
  const work = mkdtempSync(join(tmpdir(), 'bench-load-'));
  try {
    const { database } = await prepareDatabase(scratch.url);
    await loadShippedGuidelines(database);
    const documents = await syntheticCatalogDocuments(count);
    for (let index = 0; index < count; index += 100) await ingestDocuments(database, documents.slice(index, index + 100));
    const { token } = await createApiKey(database.client, { name: 'load test', role: 'admin', expiresAt: null });
    await database.close();
    const { NODE_ENV: _unset, ...environment } = process.env;
    const server = await start(['src/cli/start.ts'], { ...environment, DATABASE_URL: scratch.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'false', ALLOW_ANONYMOUS_READ: 'false', RATE_LIMIT_PER_KEY: BENCH_KEY_RATE }, API_READY);
    const pid = server.child.pid as number;
    try {
      const rssStart = rssMegabytes(pid);
      // RSS sampled every 10 s: a plateau is a warmed-up heap, a steady climb would be a leak.
      const samples: number[] = [];
      const sampler = setInterval(() => samples.push(rssMegabytes(pid)), 10_000);
      const bodies = mix();
      const result = await measure(work, pid, `http://127.0.0.1:${server.port}/graphql`, bodies, `Bearer ${token}`, seconds, connections);
      clearInterval(sampler);
      const rssEnd = rssMegabytes(pid);
      console.log(`${label}, ${count} synthetic + 6 shipped guidelines, ${seconds} s at ${connections} connections, ${bodies.length} distinct requests (detail, list, search, code lookup, stored evaluateRequest): ${result.requestsPerSecond.toFixed(0)} req/s (${result.total} requests), server CPU ${result.cpuMicrosPerRequest.toFixed(0)} µs/request, p50 ${result.p50} ms, p99 ${result.p99} ms, failed ${result.failed}, server RSS ${rssStart} MB → ${rssEnd} MB (every 10 s: ${samples.join(', ')})`);
    } finally {
      await new Promise<void>((resolve) => {
        server.child.once('exit', () => resolve());
        server.child.kill('SIGTERM');
      });
    }
  } finally {
    await scratch.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

await run('SQLite', null);
if (process.env['BENCH_PG_URL']) await run('PostgreSQL', process.env['BENCH_PG_URL']);
else console.log('PostgreSQL: skipped (set BENCH_PG_URL=postgresql://… to a server where a database may be created)');
