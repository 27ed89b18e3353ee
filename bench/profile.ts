/**
 * Where a request's time goes: the API server (`npm start`'s entry) runs under V8's CPU profiler
 * while the load generator, in its own process, drives one path; then the profile's top functions
 * by self time are printed, and the same time grouped by where the code lives (Prisma, GraphQL and
 * Apollo, the SQLite or pg driver, our own code, V8's garbage collector, idle).
 *
 *   npx tsx bench/profile.ts --path detail|list|evaluate [--cache off] [--guidelines 1000] [--seconds 10] [--top 5]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PLAYGROUND_EXAMPLES } from '../src/api/playground-examples.ts';
import { createApiKey } from '../src/services/api-keys.ts';
import { ingestDocuments } from '../src/services/ingest-document.ts';
import { loadShippedGuidelines } from '../src/services/load-shipped-guidelines.ts';
import { prepareDatabase } from '../src/store/prepare-database.ts';
import { scratchDatabase } from '../test/support/test-database.ts';
import { API_READY, BENCH_KEY_RATE, measure, start, syntheticCatalogDocuments } from './support/processes.ts';

const { values } = parseArgs({
  options: {
    path: { type: 'string', default: 'detail' }, cache: { type: 'string', default: 'on' }, guidelines: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' }, top: { type: 'string', default: '5' },
  },
});

const DETAIL = `query($number: String!) { guideline(number: $number) { number versions { id } currentVersion {
  title effectiveFrom statement { text } indications { heading populations { text scenarios { key text } } }
  contraindications { key text } exclusions { key text limits { amount unit } children { key text } }
  codes { code billingUnit { amount unit } } linesOfBusiness { code applicable } references { ordinal doi } decidable requirements { key question } } } }`;
const LIST = `query($on: Date) { guidelines(first: 100, effectiveOn: $on) { totalCount edges { node { number currentVersion { title implementationDate codes { code description } } } } } }`;

const count = Number(values.guidelines);
const bodies = (() => {
  if (values.path === 'detail') return ['Evolut_CG_3258', 'Evolut_CG_3301', ...Array.from({ length: 6 }, (_, i) => `Evolut_CG_${50000 + Math.floor((i * count) / 6)}`)].map((number) => JSON.stringify({ query: DETAIL, variables: { number } }));
  if (values.path === 'list') return ['2026-06-01', '2020-01-01', '2024-03-15', '2030-01-01'].map((on) => JSON.stringify({ query: LIST, variables: { on } }));
  const example = PLAYGROUND_EXAMPLES.find((candidate) => candidate.name === 'Evaluate a request');
  const base = example?.variables as { input: { facts: { key: string; value: unknown }[] } };
  return [9, 15, 28, 28.5, 20, 5].map((dose) => JSON.stringify({ query: example?.query, variables: { input: { ...base.input, facts: base.input.facts.map((fact) => (fact.key === 'requestedDosePerDayMcg' ? { ...fact, value: dose } : fact)) } } }));
})();

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** Which body of code a frame belongs to. */
function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'V8 garbage collector';
  if (name === '(idle)' || name === '(program)') return 'idle / program';
  if (url.includes('@prisma') || url.includes('/.prisma/') || url.includes('src/store/generated')) return 'Prisma (client, query compiler, adapter)';
  if (url.includes('node_modules/graphql') || url.includes('@apollo') || url.includes('@graphql-tools')) return 'GraphQL and Apollo';
  if (url.includes('better-sqlite3') || url.includes('node_modules/pg')) return 'database driver';
  if (url.includes('/src/')) return 'our code (src/)';
  if (url === '' || url.startsWith('node:')) return 'Node.js runtime and natives';
  return 'other libraries';
}

const work = mkdtempSync(join(tmpdir(), 'bench-profile-'));
const scratch = await scratchDatabase(process.env['BENCH_PG_URL'] ?? null, 'profile');
try {
  const { database } = await prepareDatabase(scratch.url);
  await loadShippedGuidelines(database);
  const documents = await syntheticCatalogDocuments(count);
  for (let index = 0; index < count; index += 100) await ingestDocuments(database, documents.slice(index, index + 100));
  const { token } = await createApiKey(database.client, { name: 'profile', role: 'admin', expiresAt: null });
  await database.close();
  const { NODE_ENV: _unset, ...environment } = process.env;
  const profiles = join(work, 'profiles');
  const server = await start(['src/cli/start.ts'], {
    ...environment, DATABASE_URL: scratch.url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'false', ALLOW_ANONYMOUS_READ: 'false', RATE_LIMIT_PER_KEY: BENCH_KEY_RATE, RESPONSE_CACHE: values.cache === 'off' ? 'false' : 'true',
  }, API_READY, ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
  const url = `http://127.0.0.1:${server.port}/graphql`;
  // Warm up (JIT, caches) before the measured load, which the profile then mostly covers.
  await measure(work, server.child.pid as number, url, bodies, `Bearer ${token}`, '3', values.connections);
  const result = await measure(work, server.child.pid as number, url, bodies, `Bearer ${token}`, values.seconds, values.connections);
  await new Promise<void>((resolve) => {
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
  const file = readdirSync(profiles).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('the server wrote no CPU profile');
  const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8')) as Profile;
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, index) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const time = byNode.get(node.id) ?? 0;
    total += time;
    const { functionName, url: source, lineNumber } = node.callFrame;
    const where = source.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
    const group = area(source, functionName);
    byArea.set(group, (byArea.get(group) ?? 0) + time);
  }
  const percent = (time: number) => `${((time / total) * 100).toFixed(1)}%`;
  console.log(`${values.path}, response cache ${values.cache}, ${database.provider}, ${count} synthetic guidelines: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.cpuMicrosPerRequest.toFixed(0)} µs server CPU per request (with the profiler on), p50 ${result.p50} ms`);
  console.log(`top ${values.top} functions by self time (of the whole profile, warm-up and start included):`);
  for (const [key, time] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${percent(time).padStart(6)}  ${key}`);
  console.log('by area:');
  for (const [key, time] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(`  ${percent(time).padStart(6)}  ${key}`);
} finally {
  await scratch.drop();
  rmSync(work, { recursive: true, force: true });
}
