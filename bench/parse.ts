/**
 * Parser throughput and its cost on hostile input, measured in one run.
 *
 *   npx tsx bench/parse.ts [--seconds 2] [--corpus 1000]
 *
 * - Throughput: every shipped and fixture document, then a synthetic corpus of `--corpus` documents
 *   (src/corpus), parsed repeatedly for `--seconds`; documents/s and MB/s. The baseline is the lexer
 *   alone on the same text (every line turned into a token): the ratio is what the grammar adds.
 * - Hostile documents (test/support/hostile-documents.ts, about 1 MB each): median of 3 parses,
 *   microseconds per KB against the seed's, and the time at 1 MB divided by the time at 512 KB of
 *   the same construction: about 2 is linear cost, about 4 quadratic (a backtracking pattern or a
 *   quadratic join shows as a ratio in the hundreds).
 */
import { parseArgs } from 'node:util';
import { syntheticGuideline } from '../src/corpus/synthetic-guideline.ts';
import { lexLines } from '../src/document/lexer.ts';
import { parseGuideline } from '../src/document/parse-guideline.ts';
import { splitLines } from '../src/document/source-lines.ts';
import { allDocuments, shippedText } from '../test/support/documents.ts';
import { hostileDocuments } from '../test/support/hostile-documents.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, corpus: { type: 'string', default: '1000' } } });
const seconds = Number(values.seconds);

function rate(texts: readonly string[], work: (text: string) => unknown): { perSecond: number; megabytesPerSecond: number } {
  const bytes = texts.reduce((sum, text) => sum + text.length, 0);
  let documents = 0;
  let processed = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const text of texts) work(text);
    documents += texts.length;
    processed += bytes;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { perSecond: documents / elapsed, megabytesPerSecond: processed / 1e6 / elapsed };
}

function median(work: () => unknown, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
}

const lexOnly = (text: string): unknown => lexLines(splitLines(text));
const corpus = Array.from({ length: Number(values.corpus) }, (_, index) => syntheticGuideline(index).text);
for (const [name, texts] of [['shipped and fixture documents', allDocuments().map((document) => document.text)], [`synthetic corpus (${corpus.length} documents)`, corpus]] as const) {
  const parsed = rate(texts, parseGuideline);
  const lexed = rate(texts, lexOnly);
  console.log(`${name}: ${parsed.perSecond.toFixed(0)} documents/s (${parsed.megabytesPerSecond.toFixed(1)} MB/s); lexer alone ${lexed.perSecond.toFixed(0)} documents/s; parse / lex time ratio ${(lexed.perSecond / parsed.perSecond).toFixed(1)}`);
}

const seed = shippedText('blincyto/Evolut_CG_3258-2026-01.txt');
const seedMicrosPerKb = (median(() => parseGuideline(seed), 101) * 1000) / (seed.length / 1024);
console.log(`\nseed: ${seedMicrosPerKb.toFixed(1)} µs per KB`);
console.log(`${'hostile document'.padEnd(66)} ${'KB'.padStart(6)} ${'ms'.padStart(8)} ${'µs/KB ÷ seed'.padStart(13)} ${'1 MB ÷ 512 KB'.padStart(14)}  outcome`);
const halves = new Map(hostileDocuments(seed, 512 * 1024).map((document) => [document.name, document.text]));
for (const { name, text } of hostileDocuments(seed)) {
  let refused = false;
  const ms = median(() => {
    refused = parseGuideline(text).document === null;
  });
  const half = halves.get(name) ?? text;
  const halfMs = median(() => parseGuideline(half));
  const ratio = (ms * 1000) / (text.length / 1024) / seedMicrosPerKb;
  console.log(`${name.padEnd(66)} ${(text.length / 1024).toFixed(0).padStart(6)} ${ms.toFixed(1).padStart(8)} ${ratio.toFixed(2).padStart(13)} ${(ms / halfMs).toFixed(2).padStart(14)}  ${refused ? 'refused' : 'parsed'}`);
}
