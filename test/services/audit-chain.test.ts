import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionCatalog } from '../../src/services/version-catalog.ts';
import { evaluateRequest } from '../../src/services/evaluate-request.ts';
import { loadShippedGuidelines } from '../../src/services/load-shipped-guidelines.ts';
import { verifyAuditChain } from '../../src/services/verify-audit-chain.ts';
import { sqlitePath } from '../../src/store/database.ts';
import { repoRoot } from '../support/documents.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, testProvider } from '../support/test-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await loadShippedGuidelines(db.database);
  const catalog = new VersionCatalog(db.database.client);
  for (const [dose, lineOfBusiness] of [[28, 'COMMERCIAL'], [30, 'MEDICAID'], [10, 'CHIP'], [12, 'COMMERCIAL']] as const) {
    await evaluateRequest(db.database, catalog, {
      guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness,
      facts: [{ key: 'requestedDosePerDayMcg', value: dose }, { key: 'knownHypersensitivity', value: false }],
    });
  }
});
afterAll(async () => db.drop());

/** Tampering needs the append-only triggers out of the way, as an attacker with database access would. */
async function tamper(sql: string): Promise<void> {
  if (testProvider === 'sqlite') {
    const raw = new Database(sqlitePath(db.url));
    raw.exec('DROP TRIGGER IF EXISTS "Determination_no_update"; DROP TRIGGER IF EXISTS "Determination_no_delete";');
    raw.exec(sql);
    raw.close();
    return;
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('ALTER TABLE "Determination" DISABLE TRIGGER "Determination_immutable"');
  await client.query(sql);
  await client.end();
}

const run = promisify(execFile);
let originalOutcome = '';

describe(`the determination audit chain on ${testProvider}`, () => {
  it('stays one unbroken chain when requests are decided concurrently', async () => {
    const catalog = new VersionCatalog(db.database.client);
    await Promise.all(Array.from({ length: 12 }, (_, index) => evaluateRequest(db.database, catalog, {
      guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-03-02', lineOfBusiness: 'COMMERCIAL', facts: [{ key: 'requestedDosePerDayMcg', value: index }],
    })));
    expect(await verifyAuditChain(db.database.client)).toEqual({ checked: 16, firstProblem: null, unchained: 0 });
  });

  it('verifies an untouched chain, in process and through npm run audit:verify', async () => {
    expect(await verifyAuditChain(db.database.client)).toEqual({ checked: 16, firstProblem: null, unchained: 0 });
    const { stdout } = await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'src', 'cli', 'audit-verify.ts')], { env: { ...process.env, DATABASE_URL: db.url } });
    expect(stdout).toMatch(/audit chain intact: 16 determinations verified/);
  }, 30_000);

  it('finds the first record whose content was edited directly in the database', async () => {
    originalOutcome = (await db.database.client.determination.findFirstOrThrow({ where: { sequence: 2 } })).outcome;
    await tamper(`UPDATE "Determination" SET "outcome" = '${originalOutcome === 'APPROVED' ? 'DENIED' : 'APPROVED'}' WHERE "sequence" = 2`);
    const report = await verifyAuditChain(db.database.client);
    expect(report.firstProblem).toMatchObject({ sequence: 2, reason: 'CONTENT_CHANGED' });
    expect(report.checked).toBe(1);
    const failed = await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(repoRoot, 'src', 'cli', 'audit-verify.ts')], { env: { ...process.env, DATABASE_URL: db.url } }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/audit chain broken at record 2/);
  }, 30_000);

  it('finds a deleted record', async () => {
    await tamper(`UPDATE "Determination" SET "outcome" = '${originalOutcome}' WHERE "sequence" = 2`);
    expect((await verifyAuditChain(db.database.client)).firstProblem).toBeNull();
    await tamper(`DELETE FROM "Determination" WHERE "sequence" = 3`);
    expect((await verifyAuditChain(db.database.client)).firstProblem).toMatchObject({ sequence: 3, reason: 'RECORD_MISSING' });
  });

  it('finds a record inserted around the chain', async () => {
    await tamper(`INSERT INTO "Determination" ("id", "requestSha256", "guidelineNumber", "dateOfService", "lineOfBusiness", "outcome", "whatIf", "factsUsed", "evidence", "result", "createdAt")
      VALUES ('forged', 'x', 'Evolut_CG_3258', '2026-03-02', 'COMMERCIAL', 'APPROVED', ${testProvider === 'sqlite' ? '0' : 'false'}, '[]', '[]', '{}', CURRENT_TIMESTAMP)`);
    const report = await verifyAuditChain(db.database.client);
    expect(report.unchained).toBe(1);
    expect(report.firstProblem).not.toBeNull();
  });
});
