import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainHash } from '../../src/domain/audit-chain.ts';
import { verifyWithCheckpoints, writeCheckpoint } from '../../src/services/audit-checkpoints.ts';
import { determinationsInChainOrder, hashedContent, insertDetermination } from '../../src/store/determination-store.ts';
import { insertCheckpoint } from '../../src/store/checkpoint-store.ts';
import { repoRoot } from '../support/documents.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, testProvider } from '../support/test-database.ts';

const KEY = new TextEncoder().encode('an audit key the database role cannot read: 0123456789');
const determination = (index: number) => ({
  id: `determination-${String(index).padStart(3, '0')}`, idempotencyKey: null, callerKeyId: 'key-1', callerRole: 'evaluator', requestSha256: 'a'.repeat(64), guidelineNumber: 'Evolut_CG_3258',
  versionId: null, ruleSetSha256: null, dateOfService: '2026-06-01', lineOfBusiness: 'COMMERCIAL', outcome: 'DENIED', whatIf: false, expedited: false, factsUsed: [], evidence: [], result: { summary: `decision ${index}` },
});

/** What someone with write access to the database (and no key) can do: lift the append-only triggers. */
async function asDatabaseOwner(db: TestDatabase, statements: string[]): Promise<void> {
  const client = db.database.client;
  if (testProvider === 'sqlite') {
    await client.$executeRawUnsafe('DROP TRIGGER IF EXISTS "Determination_no_update"');
    await client.$executeRawUnsafe('DROP TRIGGER IF EXISTS "Determination_no_delete"');
  } else await client.$executeRawUnsafe('ALTER TABLE "Determination" DISABLE TRIGGER "Determination_immutable"');
  for (const statement of statements) await client.$executeRawUnsafe(statement);
}

describe(`signed checkpoints anchor the audit chain outside the table it protects (${testProvider})`, () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
    for (let index = 1; index <= 30; index += 1) await insertDetermination(db.database, determination(index), new Date(Date.UTC(2026, 5, 1, 0, 0, index)));
  });
  afterEach(async () => db.drop());

  it('an intact chain is anchored through its head; a record appended later is reported as not yet anchored', async () => {
    const checkpoint = await writeCheckpoint(db.database.client, KEY, new Date('2026-06-01T01:00:00Z'));
    expect(checkpoint?.sequence).toBe(30);
    expect(await verifyWithCheckpoints(db.database.client, KEY, checkpoint)).toMatchObject({ problems: [], anchoredThrough: 30, unanchored: 0, chain: { firstProblem: null } });
    // Someone with write access appends a well-linked record: the chain verifies, but nothing signed covers it.
    await insertDetermination(db.database, determination(31), new Date());
    expect(await verifyWithCheckpoints(db.database.client, KEY, checkpoint)).toMatchObject({ problems: [], anchoredThrough: 30, unanchored: 1 });
  });

  it('truncation: the last 10 records deleted is detected (the chain itself still verifies)', async () => {
    const checkpoint = await writeCheckpoint(db.database.client, KEY, new Date());
    await asDatabaseOwner(db, ['DELETE FROM "Determination" WHERE "sequence" > 20']);
    const report = await verifyWithCheckpoints(db.database.client, KEY, checkpoint);
    expect(report.chain.firstProblem).toBeNull();
    expect(report.problems.map((problem) => [problem.external, problem.problem])).toEqual([[false, 'TRUNCATED'], [true, 'TRUNCATED']]);
  });

  it('rewriting: a record edited and every later hash recomputed is detected (the chain itself still verifies)', async () => {
    const checkpoint = await writeCheckpoint(db.database.client, KEY, new Date());
    const rows = await determinationsInChainOrder(db.database.client, 0, 100);
    const updates: string[] = [];
    let previousHash = rows[8]?.hash as string;
    for (const row of rows.slice(9)) {
      const edited = row.sequence === 10 ? { ...row, outcome: 'APPROVED' } : row;
      const hash = chainHash(hashedContent(edited), previousHash);
      updates.push(`UPDATE "Determination" SET "outcome" = '${edited.outcome}', "previousHash" = '${previousHash}', "hash" = '${hash}' WHERE "id" = '${row.id}'`);
      previousHash = hash;
    }
    await asDatabaseOwner(db, updates);
    const report = await verifyWithCheckpoints(db.database.client, KEY, checkpoint);
    expect(report.chain.firstProblem).toBeNull();
    expect(report.problems.map((problem) => problem.problem)).toEqual(['REWRITTEN', 'REWRITTEN']);
  });

  it('forgery: a checkpoint written without the key is detected, and anchors nothing', async () => {
    await insertDetermination(db.database, determination(31), new Date());
    const rows = await determinationsInChainOrder(db.database.client, 30, 1);
    await insertCheckpoint(db.database.client, { sequence: 31, hash: rows[0]?.hash as string, signedAt: new Date().toISOString(), mac: 'f'.repeat(64) });
    const report = await verifyWithCheckpoints(db.database.client, KEY, null);
    expect(report.problems.map((problem) => problem.problem)).toEqual(['FORGED_CHECKPOINT']);
    expect(report.anchoredThrough).toBe(0);
    expect(report.unanchored).toBe(31);
  });
});

describe(`audit:checkpoint and audit:verify --checkpoint (${testProvider})`, () => {
  it('the command prints a checkpoint; verification against it finds a later truncation and exits 1', async () => {
    const db = await createTestDatabase();
    try {
      for (let index = 1; index <= 5; index += 1) await insertDetermination(db.database, determination(index), new Date());
      const env = { ...process.env, DATABASE_URL: db.url, AUDIT_HMAC_KEY: new TextDecoder().decode(KEY) };
      const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: repoRoot, env, encoding: 'utf8' });
      const printed = run(['src/cli/audit-checkpoint.ts']);
      expect(printed.status, printed.stderr).toBe(0);
      const checkpoint = printed.stdout.trim();
      expect(JSON.parse(checkpoint)).toMatchObject({ sequence: 5 });
      const intact = run(['src/cli/audit-verify.ts', '--checkpoint', checkpoint]);
      expect(intact.status, intact.stderr).toBe(0);
      expect(intact.stdout).toMatch(/5 determinations verified; anchored by a checkpoint through record 5/);
      await asDatabaseOwner(db, ['DELETE FROM "Determination" WHERE "sequence" > 3']);
      const truncated = run(['src/cli/audit-verify.ts', '--checkpoint', checkpoint]);
      expect(truncated.status).toBe(1);
      expect(truncated.stderr).toMatch(/the given checkpoint at record 5 .*: TRUNCATED/);
    } finally {
      await db.drop();
    }
  }, 60_000);
});
