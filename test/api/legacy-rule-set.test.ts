import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import { fixtureText } from '../support/documents.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(async () => api.stop());

describe(`a stored rule set the current rules language refuses, on ${testProvider}`, () => {
  it('makes its version NOT_DECIDABLE with the reason, instead of failing or deciding by the old reading', async () => {
    const document = { fileName: 'blincyto-2026-07.txt', bytes: new TextEncoder().encode(fixtureText('blincyto-2026-07.txt')) };
    const loaded = await ingestDocument(api.db.database, document);
    expect(loaded.status).toBe('loaded');
    // Attached directly, as an older release would have stored it (ingestion now refuses it).
    const source = fixtureText('blincyto-2026-07.language-1.rules.yaml');
    await api.db.database.client.ruleSet.create({
      data: { versionId: loaded.versionId as string, name: 'blincyto-2026-07', sha256: createHash('sha256').update(source).digest('hex'), fileName: 'blincyto-2026-07.rules.yaml', source, reviewedBy: 'Policy', reviewedOn: '2026-11-28' },
    });
    const response = await api.graphql<{ evaluateRequest: { outcome: string; summary: string } }>(
      `mutation($input: EvaluateRequestInput!) { evaluateRequest(input: $input) { outcome summary } }`,
      { input: { guidelineNumber: 'Evolut_CG_3258', dateOfService: '2026-08-03', lineOfBusiness: 'COMMERCIAL', facts: [{ key: 'birthDate', value: '2010-01-01' }] } },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.evaluateRequest.outcome).toBe('NOT_DECIDABLE');
    expect(response.body.data?.evaluateRequest.summary).toMatch(/its rule set blincyto-2026-07 \(blincyto-2026-07\.rules\.yaml\) no longer compiles under the current rules language \(.*RULES_UNIT.*\): .*; it must be reviewed again/);
    // The version's content is still served.
    const content = await api.graphql<{ guideline: { versions: { implementationDate: string }[] } }>(`{ guideline(number: "Evolut_CG_3258") { versions { implementationDate } } }`);
    expect(content.body.data?.guideline.versions.map((version) => version.implementationDate)).toContain('2026-07');
  });
});
