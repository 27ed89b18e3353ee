/**
 * Parse time of the seed and ingest throughput of synthetic documents, on SQLite and (when
 * BENCH_PG_URL or a postgresql DATABASE_URL is set) PostgreSQL. Each database is created fresh.
 *
 *   npx tsx bench/ingest.ts [--count 1000]
 *
 * Baseline, in the same run: parsing the same documents without writing them, so the ratio shows
 * what persistence costs on top of the parser.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { syntheticGuideline } from '../src/corpus/synthetic-guideline.ts';
import { parseGuideline } from '../src/document/parse-guideline.ts';
import { ingestDocument } from '../src/services/ingest-document.ts';
import { prepareDatabase } from '../src/store/prepare-database.ts';
import { scratchDatabase } from '../test/support/test-database.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' } } });
const count = Number(values.count);
const seed = readFileSync(new URL('../guidelines/blincyto/Evolut_CG_3258-2026-01.txt', import.meta.url), 'utf8');

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

for (let i = 0; i < 200; i += 1) parseGuideline(seed); // warm-up
const parseSamples: number[] = [];
for (let i = 0; i < 2000; i += 1) {
  const start = performance.now();
  parseGuideline(seed);
  parseSamples.push(performance.now() - start);
}
console.log(`seed parse: median ${median(parseSamples).toFixed(3)} ms, p99 ${[...parseSamples].sort((a, b) => a - b)[Math.floor(parseSamples.length * 0.99)]?.toFixed(3)} ms (2000 runs)`);

const documents = Array.from({ length: count }, (_, index) => syntheticGuideline(index));
const encoded = documents.map((document) => ({ fileName: document.fileName, bytes: new TextEncoder().encode(document.text) }));
const parseStart = performance.now();
for (const document of documents) parseGuideline(document.text);
const parseOnly = count / ((performance.now() - parseStart) / 1000);
console.log(`baseline, parse only: ${parseOnly.toFixed(0)} documents/s (${count} synthetic documents)`);

async function measure(label: string, url: string, cleanup: () => Promise<void>): Promise<void> {
  const { database } = await prepareDatabase(url);
  try {
    const start = performance.now();
    let loaded = 0;
    for (const input of encoded) if ((await ingestDocument(database.client, input)).status === 'loaded') loaded += 1;
    const perSecond = count / ((performance.now() - start) / 1000);
    console.log(`${label}: ingested ${loaded}/${count} at ${perSecond.toFixed(1)} documents/s (ratio to parse-only: 1/${(parseOnly / perSecond).toFixed(1)})`);
  } finally {
    await database.close();
    await cleanup();
  }
}

const sqlite = await scratchDatabase(null, 'bench');
await measure('SQLite', sqlite.url, sqlite.drop);
const pgServer = process.env['BENCH_PG_URL'] ?? (process.env['DATABASE_URL']?.startsWith('postgres') ? process.env['DATABASE_URL'] : undefined);
if (pgServer) {
  const postgres = await scratchDatabase(pgServer, 'bench');
  await measure('PostgreSQL', postgres.url, postgres.drop);
} else {
  console.log('PostgreSQL: skipped (set BENCH_PG_URL=postgresql://… to a server where a database may be created)');
}
