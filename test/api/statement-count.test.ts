import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
  for (let index = 0; index < 60; index += 1) {
    const { fileName, text } = syntheticGuideline(index);
    await ingestDocument(api.db.database, { fileName, bytes: new TextEncoder().encode(text) });
  }
  // The API key is checked once and then remembered: that lookup is not part of what is measured.
  await api.graphql('{ __typename }');
});
afterAll(async () => api.stop());

const DETAIL = `query($number: String!) { guideline(number: $number) { number versions { id } currentVersion {
  title effectiveFrom effectiveTo statement { text } evidenceSources { text } continuation { conditions { key text } }
  indications { heading population { markers } scenarios { key text children { key } } }
  contraindications { key text } boxedWarnings { key text } warnings { key } exclusions { key text limits { amount unit } children { key text } }
  codes { code billingUnit { amount unit } } linesOfBusiness { code applicable } policyHistory { date items } references { ordinal doi duplicateOf }
  source { sha256 } diagnostics { code } decidable requirements { key } } } }`;
const LIST = (first: number) => `{ guidelines(first: ${first}) { totalCount edges { node { number brandName currentVersion { title implementationDate codes { code description } linesOfBusiness { code applicable } } } } } }`;

/** Counts statements for a query with the version cache emptied, so every version is loaded from the database. */
async function statementsFor(query: string, variables?: Record<string, unknown>): Promise<number> {
  api.server.catalog.clear();
  api.statements.length = 0;
  const { body } = await api.graphql(query, variables);
  expect(body.errors).toBeUndefined();
  return api.statements.length;
}

describe(`SQL statements per operation on ${testProvider} (no N+1)`, () => {
  it('a guideline version with all its parts costs a constant number of statements', async () => {
    const blincyto = await statementsFor(DETAIL, { number: 'Evolut_CG_3258' });
    const synthetic = await statementsFor(DETAIL, { number: 'Evolut_CG_50007' });
    expect(blincyto).toBe(synthetic);
    expect(blincyto).toBeLessThanOrEqual(15);
    console.log(`detail query: ${blincyto} statements`);
  });

  it('a page of 50 guidelines with current versions and codes costs the same as a page of 5', async () => {
    const five = await statementsFor(LIST(5));
    const fifty = await statementsFor(LIST(50));
    expect(fifty).toBe(five);
    console.log(`list query (50 guidelines): ${fifty} statements`);
  });

  it('a second request for the same version is served from the immutable-version cache', async () => {
    await statementsFor(DETAIL, { number: 'Evolut_CG_3258' });
    api.statements.length = 0;
    await api.graphql(DETAIL, { number: 'Evolut_CG_3258' });
    expect(api.statements.length).toBeLessThanOrEqual(3);
  });
});
