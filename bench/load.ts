/**
 * Bounded load test: a mixed workload (guideline detail queries, searches, evaluateRequest) held for
 * a fixed time at a fixed concurrency against the real server in its own process, on loopback only.
 * Prints throughput, p50/p99 latency, errors and the server's RSS at start and end, on SQLite and
 * (with BENCH_PG_URL) PostgreSQL. It stops by itself.
 *
 *   npx tsx bench/load.ts [--seconds 60] [--connections 20]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { PLAYGROUND_EXAMPLES } from '../src/api/playground-examples.ts';
import { createApiKey } from '../src/services/api-keys.ts';
import { prepareDatabase } from '../src/store/prepare-database.ts';
import { scratchDatabase } from '../test/support/test-database.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, connections: { type: 'string', default: '20' } } });
const duration = Math.min(Number(values.seconds), 300);
const connections = Math.min(Number(values.connections), 200);
const repoRoot = new URL('..', import.meta.url).pathname;

function rssMegabytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

async function startServer(databaseUrl: string, port: number): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/serve.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PLAYGROUND: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('GraphQL endpoint')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    pid: child.pid as number,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

const detail = PLAYGROUND_EXAMPLES[0];
const search = PLAYGROUND_EXAMPLES.find((example) => example.name === 'Search');
const evaluate = PLAYGROUND_EXAMPLES.find((example) => example.name === 'Evaluate a request');
const body = (example: typeof detail) => JSON.stringify({ query: example?.query, variables: example?.variables });
const requests = [
  { method: 'POST' as const, path: '/graphql', headers: { 'content-type': 'application/json' }, body: body(detail) },
  { method: 'POST' as const, path: '/graphql', headers: { 'content-type': 'application/json' }, body: body(search) },
  { method: 'POST' as const, path: '/graphql', headers: { 'content-type': 'application/json' }, body: body(evaluate) },
];

async function run(label: string, databaseUrl: string, port: number): Promise<void> {
  const server = await startServer(databaseUrl, port);
  try {
    const { database } = await prepareDatabase(databaseUrl);
    const { token } = await createApiKey(database.client, { name: 'load test', role: 'admin', expiresAt: null });
    await database.close();
    const authorized = requests.map((request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }));
    const rssStart = rssMegabytes(server.pid);
    // RSS sampled every 10 s: a plateau is a warmed-up heap, a steady climb would be a leak.
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMegabytes(server.pid)), 10_000);
    const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections, duration, requests: authorized });
    clearInterval(sampler);
    const rssEnd = rssMegabytes(server.pid);
    console.log(`${label}: ${duration}s at ${connections} connections, detail/search/evaluate in turn: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors}, non-2xx ${result.non2xx}, server RSS ${rssStart} MB → ${rssEnd} MB (every 10 s: ${samples.join(', ')})`);
  } finally {
    await server.stop();
  }
}

const sqlite = await scratchDatabase(null, 'load');
await run('SQLite', sqlite.url, 4101);
await sqlite.drop();
if (process.env['BENCH_PG_URL']) {
  const postgres = await scratchDatabase(process.env['BENCH_PG_URL'], 'load');
  await run('PostgreSQL', postgres.url, 4102);
  await postgres.drop();
} else {
  console.log('PostgreSQL: skipped (set BENCH_PG_URL=postgresql://… to a server where a database may be created)');
}
