import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/domain/seeded-random.ts';
import { priorAuthorizationMetrics } from '../../src/services/prior-authorization-metrics.ts';
import { insertDetermination } from '../../src/store/determination-store.ts';
import { insertReview } from '../../src/store/review-store.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { repoRoot } from '../support/documents.ts';
import { testProvider } from '../support/test-database.ts';

const run = promisify(execFile);
let api: TestServer;
let sequence = 0;

/** One request of the log, stored as evaluateRequest and recordReview store them, at the instants given. */
async function request(spec: { at: string; outcome: string; lineOfBusiness?: string; guideline?: string; expedited?: boolean; whatIf?: boolean; reviews?: [string, 'APPROVED' | 'DENIED'][] }): Promise<void> {
  sequence += 1;
  const id = `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
  await insertDetermination(api.db.database, {
    id, idempotencyKey: null, callerKeyId: null, callerRole: null, requestSha256: id, guidelineNumber: spec.guideline ?? 'Evolut_CG_3258', versionId: null, ruleSetSha256: null,
    dateOfService: spec.at.slice(0, 10), lineOfBusiness: spec.lineOfBusiness ?? 'COMMERCIAL', outcome: spec.outcome, whatIf: spec.whatIf ?? false, expedited: spec.expedited ?? false,
    factsUsed: [], evidence: [], result: { summary: 'known-answer log' },
  }, new Date(spec.at));
  let latest: string | null = null;
  for (const [index, [at, decision]] of (spec.reviews ?? []).entries()) {
    latest = (await insertReview(api.db.database, {
      id: randomUUID(), determinationId: id, decision, rationale: 'r', criterionKeys: ['EXC-03cfe7e660'],
      reviewer: 'Dr. K', reviewerKeyId: null, reopenReason: index === 0 ? null : 'reopened', reopensId: latest,
    }, new Date(at))).id;
  }
}

beforeAll(async () => {
  api = await startTestServer();
  // The hand-computed log: January 2026 (the figures below are worked out by hand from these lines).
  await request({ at: '2026-01-05T10:00:00Z', outcome: 'APPROVED' });
  await request({ at: '2026-01-06T09:00:00Z', outcome: 'DENIED' });
  await request({ at: '2026-01-10T00:00:00Z', outcome: 'PENDED', expedited: true, reviews: [['2026-01-10T12:00:00Z', 'APPROVED']] });
  await request({ at: '2026-01-12T00:00:00Z', outcome: 'PENDED', reviews: [['2026-01-13T00:00:00Z', 'DENIED'], ['2026-01-15T00:00:00Z', 'APPROVED']] });
  await request({ at: '2026-01-20T00:00:00Z', outcome: 'PENDED' });
  // Reviewed only after the period ended: still pending in January's figures.
  await request({ at: '2026-01-30T00:00:00Z', outcome: 'INCOMPLETE', guideline: 'Evolut_CG_3301', reviews: [['2026-02-02T00:00:00Z', 'APPROVED']] });
  await request({ at: '2026-01-08T00:00:00Z', outcome: 'NOT_APPLICABLE', lineOfBusiness: 'MEDICAID' });
  // Not requests of the period: a what-if, and one decided the minute before it began.
  await request({ at: '2026-01-09T00:00:00Z', outcome: 'APPROVED', whatIf: true });
  await request({ at: '2025-12-31T23:59:00Z', outcome: 'APPROVED' });
});
afterAll(async () => api?.stop());

describe(`prior-authorization metrics on a decision log with known answers (${testProvider})`, () => {
  it('January 2026, worked out by hand', async () => {
    const metrics = await priorAuthorizationMetrics(api.db.database, '2026-01-01', '2026-01-31');
    expect(metrics.overall).toEqual({
      group: null, requests: 7, decided: 4, approved: 3, denied: 1, approvedAfterReview: 2, approvedAfterReopenedReview: 1, deniedAfterReview: 0, pending: 2, notDecided: 1,
      percentApproved: 75, percentDenied: 25, percentApprovedAfterReview: 50, percentApprovedAfterReopenedReview: 25,
      // Standard: 0 h, 0 h and 72 h (reopened, decided on the 15th); expedited: 12 h.
      standard: { decided: 3, averageHours: 24, medianHours: 0 }, expedited: { decided: 1, averageHours: 12, medianHours: 12 },
    });
    expect(metrics.byLineOfBusiness.map((row) => [row.group, row.requests, row.decided, row.notDecided])).toEqual([['COMMERCIAL', 6, 4, 0], ['MEDICAID', 1, 0, 1]]);
    expect(metrics.byGuideline.map((row) => [row.group, row.requests, row.pending])).toEqual([['Evolut_CG_3258', 6, 1], ['Evolut_CG_3301', 1, 1]]);
    // February: nothing was requested; the late review changes no past period.
    expect((await priorAuthorizationMetrics(api.db.database, '2026-02-01', '2026-02-28')).overall).toMatchObject({ requests: 0, decided: 0, percentApproved: null, standard: { decided: 0, averageHours: null, medianHours: null } });
  });

  it('the same figures over GraphQL for an auditor, and from npm run report:metrics as a table and CSV', async () => {
    const { body } = await api.graphqlAs<{ priorAuthorizationMetrics: { overall: Record<string, unknown> } }>('auditor', '{ priorAuthorizationMetrics(from: "2026-01-01", to: "2026-01-31") { overall { requests approved percentApprovedAfterReopenedReview standard { medianHours averageHours } expedited { averageHours } } } }');
    expect(body.data?.priorAuthorizationMetrics.overall).toEqual({ requests: 7, approved: 3, percentApprovedAfterReopenedReview: 25, standard: { medianHours: 0, averageHours: 24 }, expedited: { averageHours: 12 } });
    const dir = mkdtempSync(join(tmpdir(), 'metrics-'));
    try {
      const csvPath = join(dir, 'metrics.csv');
      const { stdout } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'report-metrics.ts'), '--from', '2026-01-01', '--to', '2026-01-31', '--csv', csvPath], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: api.db.url } });
      const lines = stdout.split('\n');
      expect(lines[1]).toMatch(/^group\s+requests\s+decided\s+approved %/);
      expect(lines.find((line) => line.startsWith('all '))?.split(/\s{2,}/)).toEqual(['all', 'all requests', '7', '4', '75', '25', '50', '25', '2', '1', '24', '0', '12', '12']);
      const csv = readFileSync(csvPath, 'utf8').split('\r\n');
      expect(csv[0]).toBe('from,to,grouping,group,requests,decided,approved %,denied %,approved after review %,after reopened review %,pending,not decided,standard avg h,standard median h,expedited avg h,expedited median h');
      expect(csv).toContain('2026-01-01,2026-01-31,line of business,MEDICAID,1,0,,,,,0,1,,,,');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a generated log of 600 requests: every figure equals what the generator built in', async () => {
    const random = mulberry32(57);
    const expected = { requests: 0, approved: 0, denied: 0, approvedAfterReview: 0, approvedAfterReopenedReview: 0, deniedAfterReview: 0, pending: 0, notDecided: 0 };
    const hours: Record<'standard' | 'expedited', number[]> = { standard: [], expedited: [] };
    const start = Date.parse('2026-03-01T00:00:00Z');
    for (let index = 0; index < 600; index += 1) {
      const at = start + Math.floor(random() * 30 * 24) * 3_600_000;
      const expedited = random() < 0.25;
      const kind = Math.floor(random() * 7);
      const iso = (ms: number): string => new Date(ms).toISOString();
      const after = (h: number): string => iso(at + h * 3_600_000);
      expected.requests += 1;
      const timed = (h: number): void => void hours[expedited ? 'expedited' : 'standard'].push(h);
      if (kind === 0) { await request({ at: iso(at), outcome: 'APPROVED', expedited }); expected.approved += 1; timed(0); }
      else if (kind === 1) { await request({ at: iso(at), outcome: 'DENIED', expedited }); expected.denied += 1; timed(0); }
      else if (kind === 2) { const h = 1 + Math.floor(random() * 100); await request({ at: iso(at), outcome: 'PENDED', expedited, reviews: [[after(h), 'APPROVED']] }); expected.approved += 1; expected.approvedAfterReview += 1; timed(h); }
      else if (kind === 3) { const h = 1 + Math.floor(random() * 100); await request({ at: iso(at), outcome: 'PENDED', expedited, reviews: [[after(h), 'DENIED']] }); expected.denied += 1; expected.deniedAfterReview += 1; timed(h); }
      else if (kind === 4) { const h = 2 + Math.floor(random() * 200); await request({ at: iso(at), outcome: 'INCOMPLETE', expedited, reviews: [[after(1), 'DENIED'], [after(h), 'APPROVED']] }); expected.approved += 1; expected.approvedAfterReview += 1; expected.approvedAfterReopenedReview += 1; timed(h); }
      else if (kind === 5) { await request({ at: iso(at), outcome: 'PENDED', expedited }); expected.pending += 1; }
      else { await request({ at: iso(at), outcome: ['NOT_APPLICABLE', 'NO_EFFECTIVE_VERSION', 'NOT_DECIDABLE'][index % 3] as string, expedited }); expected.notDecided += 1; }
    }
    // Reviews recorded within the period only: every review above is at most 200 h after a request
    // of March, and the period runs to the end of April.
    const metrics = await priorAuthorizationMetrics(api.db.database, '2026-03-01', '2026-04-30');
    const decided = expected.approved + expected.denied;
    const median = (values: number[]): number => { const sorted = [...values].sort((a, b) => a - b); const m = Math.floor(sorted.length / 2); return sorted.length % 2 ? (sorted[m] as number) : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2; };
    const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
    const round = (value: number): number => Math.round(value * 100) / 100;
    expect(metrics.overall).toEqual({
      group: null, ...expected, decided,
      percentApproved: round((expected.approved / decided) * 100), percentDenied: round((expected.denied / decided) * 100),
      percentApprovedAfterReview: round((expected.approvedAfterReview / decided) * 100), percentApprovedAfterReopenedReview: round((expected.approvedAfterReopenedReview / decided) * 100),
      standard: { decided: hours.standard.length, averageHours: round(mean(hours.standard)), medianHours: round(median(hours.standard)) },
      expedited: { decided: hours.expedited.length, averageHours: round(mean(hours.expedited)), medianHours: round(median(hours.expedited)) },
    });
    // Read a page at a time (many requests share an instant, so the keyset's ties are crossed): the same figures, every group included.
    for (const pageSize of [7, 1]) expect(await priorAuthorizationMetrics(api.db.database, '2026-03-01', '2026-04-30', pageSize)).toEqual(metrics);
    console.log(`generated log: ${expected.requests} requests, ${decided} decided, ${expected.approvedAfterReopenedReview} after a reopened review, ${expected.pending} pending; the same figures read 7 and 1 requests at a time`);
  }, 120_000);
});
