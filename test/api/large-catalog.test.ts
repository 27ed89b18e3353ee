import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGuideline } from '../../src/corpus/synthetic-guideline.ts';
import { versionInEffect } from '../../src/domain/effective-period.ts';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { testProvider } from '../support/test-database.ts';

/**
 * More guidelines match a filter than SQLite accepts parameters (999): filters and "as of" searches
 * must be answered inside the database, never by id lists sent back to it.
 */
const SYNTHETIC = 1010;
let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
  for (let index = 0; index < SYNTHETIC; index += 1) {
    const { fileName, text } = syntheticGuideline(index);
    const result = await ingestDocument(api.db.database, { fileName, bytes: new TextEncoder().encode(text) });
    if (result.status !== 'loaded') throw new Error(`${fileName}: ${result.status}`);
  }
}, 300_000);
afterAll(async () => api.stop());

type Page = { guidelines: { totalCount: number; edges: { node: { number: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
const page = (filter: string, after: string | null) => api.graphql<Page>(`query($after: String) { guidelines(first: 100, after: $after${filter}) { totalCount edges { node { number } } pageInfo { hasNextPage endCursor } } }`, { after });

async function everyNumber(filter: string): Promise<{ numbers: string[]; totalCount: number }> {
  const numbers: string[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (;;) {
    const { body } = await page(filter, after);
    expect(body.errors).toBeUndefined();
    const result = body.data?.guidelines;
    if (!result) throw new Error('no page');
    totalCount = result.totalCount;
    numbers.push(...result.edges.map((edge) => edge.node.number));
    if (!result.pageInfo.hasNextPage) return { numbers, totalCount };
    after = result.pageInfo.endCursor;
  }
}

describe(`a catalog of ${SYNTHETIC} + shipped guidelines on ${testProvider}`, () => {
  it('filters with more than 999 matches answer, page by page, with the true count', async () => {
    const client = api.db.database.client;
    const versions = await client.guidelineVersion.findMany({ select: { id: true, guidelineId: true, effectiveFrom: true, guideline: { select: { number: true } }, linesOfBusiness: { select: { code: true, applicable: true } } } });
    const byGuideline = new Map<string, typeof versions>();
    for (const version of versions) byGuideline.set(version.guideline.number, [...(byGuideline.get(version.guideline.number) ?? []), version]);
    // What the filters mean, computed here from every version: the version in effect on the date, or any version with the line checked.
    const expectedOn = (at: Date) => [...byGuideline].filter(([, list]) => versionInEffect(list, at) !== null).map(([number]) => number).sort();
    const expectedLine = (code: string) => [...byGuideline].filter(([, list]) => list.some((version) => version.linesOfBusiness.some((line) => line.code === code && line.applicable))).map(([number]) => number).sort();

    const all = await everyNumber(', effectiveOn: "2030-01-01"');
    expect(all.totalCount).toBeGreaterThan(1000);
    expect(all.numbers).toEqual(expectedOn(new Date('2030-01-01T00:00:00Z')));
    expect(all.totalCount).toBe(all.numbers.length);

    const mid = await everyNumber(', effectiveOn: "2018-06-15"');
    expect(mid.numbers).toEqual(expectedOn(new Date('2018-06-15T00:00:00Z')));
    expect(mid.numbers.length).toBeGreaterThan(0);
    expect(mid.numbers.length).toBeLessThan(all.numbers.length);

    const medicaid = await everyNumber(', lineOfBusiness: "MEDICAID"');
    expect(medicaid.numbers).toEqual(expectedLine('MEDICAID'));
    const both = await everyNumber(', lineOfBusiness: "COMMERCIAL", effectiveOn: "2030-01-01"');
    expect(both.numbers.length).toBeGreaterThan(0);
    expect(both.numbers.every((number) => all.numbers.includes(number))).toBe(true);
    console.log(`large catalog: ${all.totalCount} in effect on 2030-01-01, ${mid.numbers.length} on 2018-06-15, ${medicaid.totalCount} with Medicaid checked`);
  }, 120_000);

  it('a search "as of" a date with more than 999 versions in effect answers from the versions in effect then', async () => {
    const { body } = await api.graphql<{ search: { edges: { node: { key: string; version: { implementationDate: string } } }[] } }>(`{ search(text: "scenario", asOf: "2030-01-01", first: 100) { edges { node { key version { implementationDate } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.search.edges.length).toBe(100);
    const before = await api.graphql<{ search: { totalCount: number; edges: unknown[] } }>(`{ search(text: "scenario", asOf: "2000-01-01", first: 100) { totalCount edges { cursor } } }`);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data?.search).toEqual({ totalCount: 0, edges: [] });
  }, 60_000);
});
