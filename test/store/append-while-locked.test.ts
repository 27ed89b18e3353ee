import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDetermination } from '../../src/store/determination-store.ts';
import { sqlitePath } from '../../src/store/database.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, testProvider } from '../support/test-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const row = (id: string) => ({
  id, idempotencyKey: null, callerKeyId: null, callerRole: null, requestSha256: 'r', guidelineNumber: 'G', versionId: null, ruleSetSha256: null, dateOfService: '2026-01-01', lineOfBusiness: 'COMMERCIAL',
  outcome: 'APPROVED', whatIf: false, expedited: false, factsUsed: [], evidence: [], result: { summary: 's' },
});

describe.runIf(testProvider === 'sqlite')('an audit append while another connection holds the write lock (SQLite)', () => {
  it('waits without blocking the event loop, then lands once the lock is released', async () => {
    const other = new Sqlite(sqlitePath(db.url));
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    const appending = insertDetermination(db.database, row('locked-1'), new Date());
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The append is still waiting, and timers kept running meanwhile.
    expect(await db.database.client.determination.count({ where: { id: 'locked-1' } })).toBe(0);
    expect(ticks).toBeGreaterThan(5);
    other.exec('COMMIT');
    other.close();
    const stored = await appending;
    clearInterval(ticker);
    expect(stored.sequence).toBe(1);
    expect(await db.database.client.determination.count({ where: { id: 'locked-1' } })).toBe(1);
  });
});
