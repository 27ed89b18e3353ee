import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, Kind, parse, validate } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { repoRoot } from '../support/documents.ts';

const dir = join(repoRoot, 'client', 'operations');
const files = readdirSync(dir).filter((name) => name.endsWith('.graphql')).sort();
const schema = buildSchema(readFileSync(join(repoRoot, 'schema.graphql'), 'utf8'));

/** What each example is run with against a real server, and the role that runs it. */
const RUNS: Record<string, { role: 'reader' | 'auditor' | 'reviewer'; variables: Record<string, unknown>; expectError?: string }> = {
  GuidelineDetail: { role: 'reader', variables: { number: 'Evolut_CG_3258' } },
  FindGuidelinesByDrug: { role: 'reader', variables: { typed: 'blin' } },
  SearchGuidelineText: { role: 'reader', variables: { text: 'cytokine rel' } },
  ReviewerWorklist: { role: 'reviewer', variables: { guidelineNumber: 'Evolut_CG_3258' } },
  // No such determination: the operation is valid, and the answer says so.
  RecordReview: { role: 'reviewer', variables: { input: { determinationId: Buffer.from('Determination:00000000-0000-0000-0000-000000000000').toString('base64url'), decision: 'APPROVED', rationale: 'r', criterionKeys: ['k'], reviewer: 'Dr. R' } }, expectError: 'NOT_FOUND' },
  PriorAuthorizationMetrics: { role: 'auditor', variables: { from: '2026-01-01', to: '2026-12-31' } },
};

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api?.stop());

describe('the example client operations (client/operations)', () => {
  it('are one named operation per file, named as the file, and valid against schema.graphql', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const document = parse(readFileSync(join(dir, file), 'utf8'));
      const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
      expect(operations.map((operation) => operation.name?.value), file).toEqual([file.replace('.graphql', '')]);
      expect(validate(schema, document).map((error) => error.message), file).toEqual([]);
    }
    expect(Object.keys(RUNS).sort()).toEqual(files.map((file) => file.replace('.graphql', '')).sort());
  });

  it.each(files)('%s runs against a real server', async (file) => {
    const run = RUNS[file.replace('.graphql', '')] as (typeof RUNS)[string];
    const { status, body } = await api.graphqlAs(run.role, readFileSync(join(dir, file), 'utf8'), run.variables);
    expect(status).toBe(200);
    if (run.expectError) expect(body.errors?.[0]?.extensions?.code).toBe(run.expectError);
    else {
      expect(body.errors).toBeUndefined();
      expect(Object.values(body.data ?? {})[0]).not.toBeNull();
    }
  });

  it('generate a typed client with the client preset configuration the README shows', () => {
    const out = mkdtempSync(join(tmpdir(), 'client-preset-'));
    const config = join(repoRoot, `codegen.client-check-${process.pid}.ts`);
    try {
      writeFileSync(config, readFileSync(join(repoRoot, 'client', 'codegen.ts'), 'utf8').replace("'client/generated/'", JSON.stringify(`${out}/`)));
      execFileSync(join(repoRoot, 'node_modules', '.bin', 'graphql-codegen'), ['--config', config, '--silent'], { cwd: repoRoot, stdio: 'pipe' });
      expect(existsSync(join(out, 'graphql.ts'))).toBe(true);
      const types = readFileSync(join(out, 'graphql.ts'), 'utf8');
      expect(types).toContain('export type ReviewerWorklistQuery');
      expect(types).toContain('export const RecordReviewDocument');
    } finally {
      rmSync(config, { force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
