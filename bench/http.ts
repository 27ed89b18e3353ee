/**
 * HTTP paths against their floors, every party in its own process: the API server (`npm start`'s
 * entry, NODE_ENV defaulted as there), a bare node:http server doing the same work without
 * GraphQL or Prisma's query engine, and the load generator (autocannon). Reports req/s, latency
 * and the server's CPU per request (from /proc), with min and median over rounds, on a catalog of
 * shipped plus synthetic guidelines.
 *
 *   npx tsx bench/http.ts [--guidelines 1000] [--seconds 10] [--connections 10] [--rounds 3]
 *   BENCH_PG_URL=postgresql://… npx tsx bench/http.ts   (PostgreSQL; a scratch database is created on that server)
 *
 * Paths: the guideline detail query (8 guidelines in turn), the list query (first: 100 with
 * current versions, 4 dates in turn), and evaluateRequest (stored; 6 requests in turn). The detail
 * and list floors replay the API's own response bytes; the evaluate floor runs the same rules core,
 * renders, chains and INSERTs the same row. Loopback only; each load is bounded in time.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PLAYGROUND_EXAMPLES } from '../src/api/playground-examples.ts';
import { createApiKey } from '../src/services/api-keys.ts';
import { ingestDocuments } from '../src/services/ingest-document.ts';
import { loadShippedGuidelines } from '../src/services/load-shipped-guidelines.ts';
import { prepareDatabase } from '../src/store/prepare-database.ts';
import { scratchDatabase } from '../test/support/test-database.ts';
import type { Measured } from './support/processes.ts';
import { API_READY, BENCH_KEY_RATE, measure, start, syntheticCatalogDocuments } from './support/processes.ts';

const { values } = parseArgs({ options: { guidelines: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' } } });
const work = mkdtempSync(join(tmpdir(), 'bench-http-'));

const DETAIL = `query($number: String!) { guideline(number: $number) { number versions { id } currentVersion {
  title effectiveFrom statement { text } indications { heading populations { text scenarios { key text } } }
  contraindications { key text } boxedWarnings { key text } exclusions { key text limits { amount unit } children { key text } }
  codes { code billingUnit { amount unit } } linesOfBusiness { code applicable } references { ordinal doi } decidable requirements { key question } } } }`;
const LIST = `query($on: Date) { guidelines(first: 100, effectiveOn: $on) { totalCount edges { node { number currentVersion { title implementationDate codes { code description } } } } } }`;

const median = (numbers: number[]): number => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] as number;

const postgres = process.env['BENCH_PG_URL'] ?? null;
const scratch = await scratchDatabase(postgres, 'bench');
const children: ChildProcess[] = [];
try {
  const { database } = await prepareDatabase(scratch.url);
  await loadShippedGuidelines(database);
  const count = Number(values.guidelines);
  const loadStarted = performance.now();
  const documents = await syntheticCatalogDocuments(count);
  for (let index = 0; index < count; index += 100) await ingestDocuments(database, documents.slice(index, index + 100));
  console.log(`catalog: 6 shipped + ${count} synthetic guidelines on ${database.provider} (loaded in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s)`);
  const { token } = await createApiKey(database.client, { name: 'bench', role: 'admin', expiresAt: null });
  await database.close();
  const authorization = `Bearer ${token}`;

  const { NODE_ENV: _unset, ...environment } = process.env;
  const api = await start(['src/cli/start.ts'], { ...environment, DATABASE_URL: scratch.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'false', ALLOW_ANONYMOUS_READ: 'false', RATE_LIMIT_PER_KEY: BENCH_KEY_RATE }, API_READY);
  children.push(api.child);
  const apiUrl = `http://127.0.0.1:${api.port}/graphql`;
  // The same server with the whole-response cache off: what a cache miss costs.
  const uncached = await start(['src/cli/start.ts'], { ...environment, DATABASE_URL: scratch.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'false', ALLOW_ANONYMOUS_READ: 'false', RATE_LIMIT_PER_KEY: BENCH_KEY_RATE, RESPONSE_CACHE: 'false' }, API_READY);
  children.push(uncached.child);

  const numbers = ['Evolut_CG_3258', 'Evolut_CG_3301', 'Evolut_CG_3340', ...Array.from({ length: 5 }, (_, i) => `Evolut_CG_${50000 + Math.floor((i * count) / 5)}`)];
  const detailBodies = numbers.map((number) => JSON.stringify({ query: DETAIL, variables: { number } }));
  const listBodies = ['2026-06-01', '2020-01-01', '2024-03-15', '2030-01-01'].map((on) => JSON.stringify({ query: LIST, variables: { on } }));
  const example = PLAYGROUND_EXAMPLES.find((candidate) => candidate.name === 'Evaluate a request');
  const base = example?.variables as { input: { facts: { key: string; value: unknown }[] } };
  const evaluateBodies = [9, 15, 28, 28.5, 20, 5].map((dose) => JSON.stringify({ query: example?.query, variables: { input: { ...base.input, facts: base.input.facts.map((fact) => (fact.key === 'requestedDosePerDayMcg' ? { ...fact, value: dose } : fact)) } } }));

  // The floors replay exactly what the API answers.
  const responses: Record<string, string> = {};
  for (const body of [...detailBodies, ...listBodies]) {
    const text = await (await fetch(apiUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body })).text();
    if (text.includes('"errors"')) throw new Error(`the API answered with errors: ${text.slice(0, 300)}`);
    responses[body] = text;
  }
  const responsesFile = join(work, 'responses.json');
  writeFileSync(responsesFile, JSON.stringify(responses));
  const replay = await start(['bench/support/bare-server.ts', 'replay', responsesFile], process.env, /listening (\d+)/);
  const evaluate = await start(['bench/support/bare-server.ts', 'evaluate', scratch.url], process.env, /listening (\d+)/);
  children.push(replay.child, evaluate.child);

  type Server = { child: ChildProcess; port: number };
  const paths: [string, string[], Server, Server][] = [
    ['detail query', detailBodies, api, replay], ['detail query, response cache off', detailBodies, uncached, replay],
    ['list query (first: 100)', listBodies, api, replay], ['list query, response cache off', listBodies, uncached, replay],
    ['evaluateRequest, stored', evaluateBodies, api, evaluate],
  ];
  console.log(`${values.rounds} rounds of ${values.seconds} s, ${values.connections} connections; server CPU per request from /proc (10 ms ticks)`);
  console.log('| path | API req/s (min / median) | API CPU µs/req | floor req/s | floor CPU µs/req | API / floor, req/s | floor / API, CPU | API p50 / p99 ms | failed |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [name, bodies, server, floor] of paths) {
    const ours: Measured[] = [];
    const theirs: Measured[] = [];
    for (let round = 0; round < Number(values.rounds); round += 1) {
      ours.push(await measure(work, server.child.pid as number, `http://127.0.0.1:${server.port}/graphql`, bodies, authorization, values.seconds, values.connections));
      theirs.push(await measure(work, floor.child.pid as number, `http://127.0.0.1:${floor.port}/graphql`, bodies, '', values.seconds, values.connections));
    }
    const rate = (list: Measured[]) => list.map((item) => item.requestsPerSecond);
    const cpu = (list: Measured[]) => list.map((item) => item.cpuMicrosPerRequest);
    console.log(`| ${name} | ${Math.min(...rate(ours)).toFixed(0)} / ${median(rate(ours)).toFixed(0)} | ${median(cpu(ours)).toFixed(0)} | ${median(rate(theirs)).toFixed(0)} | ${median(cpu(theirs)).toFixed(0)} | ${(median(rate(ours)) / median(rate(theirs))).toFixed(2)} | ${(median(cpu(theirs)) / median(cpu(ours))).toFixed(2)} | ${median(ours.map((item) => item.p50))} / ${median(ours.map((item) => item.p99))} | ${ours.reduce((sum, item) => sum + item.failed, 0)} |`);
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  await scratch.drop();
  rmSync(work, { recursive: true, force: true });
}
