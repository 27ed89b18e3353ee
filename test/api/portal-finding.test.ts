import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import type { TestServer } from '../support/api-server.ts';
import { startTestServer } from '../support/api-server.ts';
import { fixtureText } from '../support/documents.ts';
import { testProvider } from '../support/test-database.ts';

let api: TestServer;
let later: TestServer;
beforeAll(async () => {
  // The test clock says 2026-06-01: the January Blincyto is current; the July revision is not yet.
  api = await startTestServer();
  await ingestDocument(api.db.database, { fileName: 'blincyto-2026-07.txt', bytes: new TextEncoder().encode(fixtureText('blincyto-2026-07.txt')) });
  later = await startTestServer({ now: new Date('2026-08-01T12:00:00Z') });
  await ingestDocument(later.db.database, { fileName: 'blincyto-2026-07.txt', bytes: new TextEncoder().encode(fixtureText('blincyto-2026-07.txt')) });
});
afterAll(async () => {
  await api?.stop();
  await later?.stop();
});

interface Hit { key: string; version: { implementationDate: string } }
interface SearchPage { search: { totalCount: number; edges: { cursor: string; node: Hit }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }
const SEARCH = `query($text: String!, $asOf: Date, $all: Boolean, $first: Int, $after: String) { search(text: $text, asOf: $asOf, allVersions: $all, first: $first, after: $after) {
  totalCount edges { cursor node { key version { implementationDate } } } pageInfo { hasNextPage endCursor } } }`;

describe(`finding a drug and searching, as a portal does (${testProvider})`, () => {
  it('guidelines(drug:) matches what a person types: the start of a brand or generic name or of one of its words, any case', async () => {
    const numbers = async (drug: string) => ((await api.graphqlAs<{ guidelines: { edges: { node: { number: string } }[] } }>('reader', `query($drug: String) { guidelines(drug: $drug, first: 20) { edges { node { number } } } }`, { drug })).body.data?.guidelines.edges ?? []).map((edge) => edge.node.number);
    expect(await numbers('blin')).toEqual(['Evolut_CG_3258']);
    expect(await numbers('BLINATUMOMAB')).toEqual(['Evolut_CG_3258']);
    expect(await numbers('ozogamicin')).toEqual(['Evolut_CG_3301']);
    expect(await numbers('mab')).toEqual([]);
    // LIKE's wildcards are literal characters here, not patterns.
    expect(await numbers('%')).toEqual([]);
    expect(await numbers('b_incyto')).toEqual([]);
  });

  it('guidelineByDrug names one guideline by an exact name, with its lines of business as of today, and never guesses from a prefix', async () => {
    const { body } = await api.graphqlAs<{ guidelineByDrug: { number: string; currentVersion: { implementationDate: string; linesOfBusiness: { code: string; applicable: boolean }[] } } | null }>('reader', '{ guidelineByDrug(name: "Blincyto") { number currentVersion { implementationDate linesOfBusiness { code applicable } } } }');
    expect(body.data?.guidelineByDrug?.number).toBe('Evolut_CG_3258');
    expect(body.data?.guidelineByDrug?.currentVersion.implementationDate).toBe('2026-01');
    expect(body.data?.guidelineByDrug?.currentVersion.linesOfBusiness.length).toBeGreaterThan(3);
    const prefix = await api.graphqlAs<{ guidelineByDrug: unknown }>('reader', '{ guidelineByDrug(name: "blin") { number } }');
    expect(prefix.body).toEqual({ data: { guidelineByDrug: null } });
  });

  it('search reads today\'s versions unless asked for a date or for every version', async () => {
    const ask = async (variables: Record<string, unknown>) => (await api.graphqlAs<SearchPage>('reader', SEARCH, { text: 'cytokine release syndrome', first: 50, ...variables })).body;
    const today = (await ask({})).data?.search;
    const every = (await ask({ all: true })).data?.search;
    const july = (await ask({ asOf: '2026-07-15' })).data?.search;
    expect(new Set(today?.edges.map((edge) => edge.node.version.implementationDate))).toEqual(new Set(['2026-01']));
    expect(new Set(july?.edges.map((edge) => edge.node.version.implementationDate))).toEqual(new Set(['2026-07']));
    expect(new Set(every?.edges.map((edge) => edge.node.version.implementationDate))).toEqual(new Set(['2026-01', '2026-07']));
    expect(every?.totalCount).toBe((today?.totalCount ?? 0) + (july?.totalCount ?? 0));
    // On a later day, "today" is the July revision.
    const laterToday = (await later.graphqlAs<SearchPage>('reader', SEARCH, { text: 'cytokine release syndrome', first: 50 })).body.data?.search;
    expect(new Set(laterToday?.edges.map((edge) => edge.node.version.implementationDate))).toEqual(new Set(['2026-07']));
    expect((await ask({ all: true, asOf: '2026-07-15' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pages through every hit once, in rank order, with totalCount', async () => {
    const whole = (await api.graphqlAs<SearchPage>('reader', SEARCH, { text: 'patients', all: true, first: 100 })).body.data?.search;
    expect(whole?.totalCount).toBeGreaterThan(6);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      const answer: { data?: SearchPage } = (await api.graphqlAs<SearchPage>('reader', SEARCH, { text: 'patients', all: true, first: 3, after })).body;
      const search = answer.data?.search;
      seen.push(...(search?.edges ?? []).map((edge) => `${edge.node.key}@${edge.node.version.implementationDate}`));
      if (!search?.pageInfo.hasNextPage) break;
      after = search.pageInfo.endCursor;
    }
    expect(seen).toEqual(whole?.edges.map((edge) => `${edge.node.key}@${edge.node.version.implementationDate}`));
    expect(seen.length).toBe(Math.min(100, whole?.totalCount ?? 0));
  });

  it('the last word typed matches as the start of a word ("cytok"), earlier words as whole words', async () => {
    const count = async (text: string) => (await api.graphqlAs<SearchPage>('reader', SEARCH, { text, first: 1 })).body.data?.search.totalCount ?? -1;
    const whole = await count('cytokine release');
    expect(whole).toBeGreaterThan(0);
    expect(await count('cytokine rel')).toBe(whole);
    expect(await count('cytok')).toBeGreaterThanOrEqual(await count('cytokine'));
    expect(await count('cytok release')).toBe(0);
  });
});
