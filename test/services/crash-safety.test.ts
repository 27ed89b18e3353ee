import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { sqlitePath } from '../../src/store/database.ts';
import { prepareDatabase } from '../../src/store/prepare-database.ts';
import { readVersions } from '../../src/store/version-reader.ts';
import { repoRoot } from '../support/documents.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

const DOCUMENTS = 120;
let url: string;
let drop: () => Promise<void>;
let folder: string;
beforeAll(async () => {
  ({ url, drop } = await createTestDatabaseUrl());
  folder = mkdtempSync(join(tmpdir(), 'crash-corpus-'));
  for (let index = 0; index < DOCUMENTS; index += 1) {
    const { fileName, text } = syntheticGuideline(index);
    writeFileSync(join(folder, fileName), text);
  }
});
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await drop();
});

/**
 * Runs the ingest command; when `killAfterMore` is given, kills it with SIGKILL as soon as that many
 * more versions are stored than when it started (so the kill lands in the middle of the load).
 */
function ingestAndKill(count: () => Promise<number>, killAfterMore: number | null): Promise<number | null> {
  return new Promise((resolve) => {
    // Small batches, so that a kill lands between some transactions and inside others.
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'ingest.ts'), '--no-progress', '--batch-size', '4', folder], {
      cwd: repoRoot, env: { ...process.env, DATABASE_URL: url }, stdio: 'ignore',
    });
    let stopped = false;
    child.on('exit', (code) => {
      stopped = true;
      resolve(code);
    });
    if (killAfterMore === null) return;
    void (async () => {
      const start = await count();
      while (!stopped) {
        if ((await count().catch(() => start)) >= start + killAfterMore) {
          child.kill('SIGKILL');
          return;
        }
        await new Promise((wait) => setTimeout(wait, 20));
      }
    })();
  });
}

describe(`crash safety of ingestion on ${testProvider}`, () => {
  it('killed with SIGKILL at random points, every version is whole or absent, and a rerun completes the load', async () => {
    // Migrated first, so that counting works from the first poll.
    const { database } = await prepareDatabase(url);
    const count = () => database.client.guidelineVersion.count();
    try {
      // Five kills, each after a different number of further versions: mid-load, never between runs.
      for (const more of [7, 3, 11, 5, 13]) expect(await ingestAndKill(count, more)).toBeNull();
      const ids = (await database.client.guidelineVersion.findMany({ select: { id: true } })).map((row) => row.id);
      const versions = await readVersions(database.client, ids);
      for (const version of versions.values()) {
        // Whole: the stored rows rebuild exactly the tree its stored source text parses to.
        expect(version.document).toEqual(parseGuideline(version.source.text).document);
      }
      if (testProvider === 'sqlite') {
        const raw = new Database(sqlitePath(url), { readonly: true });
        expect(raw.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        raw.close();
      }
      expect(await ingestAndKill(count, null)).toBe(0);
      expect(await database.client.guidelineVersion.count()).toBe(DOCUMENTS);
      console.log(`crash safety: ${ids.length} of ${DOCUMENTS} versions were whole after 5 SIGKILLs; none partial; rerun completed the load`);
    } finally {
      await database.close();
    }
  }, 180_000);
});
