/**
 * Parse time of the seed and ingest throughput of synthetic documents, on SQLite and (when
 * BENCH_PG_URL or a postgresql DATABASE_URL is set) PostgreSQL. Each database is created fresh.
 *
 *   npx tsx bench/ingest.ts [--count 1000]
 *
 * A folder of synthetic documents goes through `ingestFiles`, as `npm run ingest` does (batches of
 * documents per transaction on the driver). Baselines, in the same run: parsing the same documents
 * without writing them, so the ratio shows what persistence costs on top of the parser; and the
 * path of one Prisma transaction per document, on a sample, for before and after.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticGuideline } from '../src/corpus/synthetic-guideline.ts';
import { parseGuideline } from '../src/document/parse-guideline.ts';
import { ingestDocument } from '../src/services/ingest-document.ts';
import { expandDocumentPaths, INGEST_BATCH_DOCUMENTS, ingestFiles } from '../src/services/ingest-files.ts';
import type { Database } from '../src/store/database.ts';
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
const folder = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
for (const document of documents) writeFileSync(join(folder, document.fileName), document.text);
const files = expandDocumentPaths([folder]);
const parseStart = performance.now();
for (const document of documents) parseGuideline(document.text);
const parseOnly = count / ((performance.now() - parseStart) / 1000);
console.log(`baseline, parse only: ${parseOnly.toFixed(0)} documents/s (${count} synthetic documents)`);

/** Prisma's path, one interactive transaction per document (what a database without a driver connection uses), on a sample. */
const prismaSample = Math.min(count, 200);

async function measure(label: string, url: string, cleanup: () => Promise<void>): Promise<void> {
  const { database } = await prepareDatabase(url);
  try {
    const start = performance.now();
    const summary = await ingestFiles(database, files, () => {}, folder);
    const perSecond = count / ((performance.now() - start) / 1000);
    console.log(`${label}: folder of ${count} ingested (${summary.loaded} loaded, batches of ${INGEST_BATCH_DOCUMENTS}) at ${perSecond.toFixed(1)} documents/s (ratio to parse-only: 1/${(parseOnly / perSecond).toFixed(2)})`);
  } finally {
    await database.close();
    await cleanup();
  }
}

async function measurePrisma(label: string, url: string, cleanup: () => Promise<void>): Promise<void> {
  const { database } = await prepareDatabase(url);
  try {
    const prismaOnly: Database = { ...database, driver: null };
    const start = performance.now();
    for (const document of documents.slice(0, prismaSample)) await ingestDocument(prismaOnly, { fileName: document.fileName, bytes: new TextEncoder().encode(document.text) });
    const perSecond = prismaSample / ((performance.now() - start) / 1000);
    console.log(`${label}, before (Prisma, one transaction per document, first ${prismaSample}): ${perSecond.toFixed(1)} documents/s`);
  } finally {
    await database.close();
    await cleanup();
  }
}

const sqlite = await scratchDatabase(null, 'bench');
await measure('SQLite', sqlite.url, sqlite.drop);
const sqlitePrisma = await scratchDatabase(null, 'bench');
await measurePrisma('SQLite', sqlitePrisma.url, sqlitePrisma.drop);
const pgServer = process.env['BENCH_PG_URL'] ?? (process.env['DATABASE_URL']?.startsWith('postgres') ? process.env['DATABASE_URL'] : undefined);
if (pgServer) {
  const postgres = await scratchDatabase(pgServer, 'bench');
  await measure('PostgreSQL', postgres.url, postgres.drop);
  const postgresPrisma = await scratchDatabase(pgServer, 'bench');
  await measurePrisma('PostgreSQL', postgresPrisma.url, postgresPrisma.drop);
} else {
  console.log('PostgreSQL: skipped (set BENCH_PG_URL=postgresql://… to a server where a database may be created)');
}
rmSync(folder, { recursive: true, force: true });
