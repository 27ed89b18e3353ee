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

  it('an intact chain is anchored through its head; after it, a record the server sealed verifies and a forged one is found at once', async () => {
    const checkpoint = await writeCheckpoint(db.database.client, KEY, new Date('2026-06-01T01:00:00Z'));
    expect(checkpoint?.sequence).toBe(30);
    expect(await verifyWithCheckpoints(db.database.client, KEY, checkpoint)).toMatchObject({ problems: [], anchoredThrough: 30, sealed: 0, unsealed: { count: 0, first: null }, chain: { firstProblem: null } });
    // The server appends with the key: the record is sealed, and verifies before any checkpoint covers it.
    await insertDetermination(db.database, determination(31), new Date(), KEY);
    expect(await verifyWithCheckpoints(db.database.client, KEY, checkpoint)).toMatchObject({ problems: [], anchoredThrough: 30, sealed: 1, unsealed: { count: 0, first: null } });
    // Someone with write access appends a well-linked record, unsealed or sealed with a key of their own: the chain verifies, the seal does not.
    await insertDetermination(db.database, determination(32), new Date());
    await insertDetermination(db.database, determination(33), new Date(), new TextEncoder().encode('a key that is not the audit key, 0123456789abcdef'));
    const forged = await verifyWithCheckpoints(db.database.client, KEY, checkpoint);
    expect(forged.chain.firstProblem).toBeNull();
    expect(forged).toMatchObject({ anchoredThrough: 30, sealed: 1, unsealed: { count: 2, first: { sequence: 32, id: 'determination-032' } } });
    // Nor can a seal be copied from a genuine record: it seals that record's hash only.
    const genuine = (await determinationsInChainOrder(db.database.client, 30, 1))[0];
    await asDatabaseOwner(db, [`UPDATE "Determination" SET "seal" = '${genuine?.seal}' WHERE "sequence" = 32`]);
    expect((await verifyWithCheckpoints(db.database.client, KEY, checkpoint)).unsealed).toMatchObject({ count: 2, first: { sequence: 32 } });
    // Nor will the server's next checkpoint anchor the forgery: signing is refused while it is there.
    await expect(writeCheckpoint(db.database.client, KEY, new Date())).rejects.toThrow(/record 32 \(determination determination-032\) follows sealed records without a seal/);
    // Without the key nothing can be said of seals: only that the records are not anchored.
    expect(await verifyWithCheckpoints(db.database.client, null, checkpoint)).toMatchObject({ anchoredThrough: 30, unsealed: null, unanchored: 3 });
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
      // A record the server sealed after the checkpoint verifies; one appended without the key fails the command at once.
      await insertDetermination(db.database, determination(6), new Date(), KEY);
      const sealed = run(['src/cli/audit-verify.ts', '--checkpoint', checkpoint]);
      expect(sealed.status, sealed.stderr).toBe(0);
      expect(sealed.stdout).toMatch(/6 determinations verified; anchored by a checkpoint through record 5, 1 later records each sealed with the key/);
      await insertDetermination(db.database, determination(7), new Date());
      const forged = run(['src/cli/audit-verify.ts', '--checkpoint', checkpoint]);
      expect(forged.status).toBe(1);
      expect(forged.stderr).toMatch(/1 record\(s\) after the last checkpoint \(record 5\) carry no seal made with the key, the first at record 7/);
      await asDatabaseOwner(db, ['DELETE FROM "Determination" WHERE "sequence" > 3']);
      const truncated = run(['src/cli/audit-verify.ts', '--checkpoint', checkpoint]);
      expect(truncated.status).toBe(1);
      expect(truncated.stderr).toMatch(/the given checkpoint at record 5 .*: TRUNCATED/);
    } finally {
      await db.drop();
    }
  }, 60_000);
});
