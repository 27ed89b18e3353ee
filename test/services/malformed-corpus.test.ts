import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDocument } from '../../src/services/ingest-document.ts';
import { shippedText } from '../support/documents.ts';
import type { TestDatabase } from '../support/test-database.ts';
import { createTestDatabase, rowCounts, testProvider } from '../support/test-database.ts';

const seed = shippedText('blincyto/Evolut_CG_3258-2026-01.txt');
const rules = shippedText('blincyto/Evolut_CG_3258-2026-01.rules.yaml');
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const replace = (text: string, from: string, to: string): string => {
  if (!text.includes(from)) throw new Error(`fixture drift: "${from}" not found`);
  return text.replace(from, to);
};

/** Hostile and broken inputs: each must be rejected with a coded error and leave every table as it was. */
const corpus: { name: string; bytes: Uint8Array; rules?: string; code: string }[] = [
  { name: 'empty file', bytes: new Uint8Array(0), code: 'INGEST_EMPTY_FILE' },
  { name: 'whitespace only', bytes: encode('\n\n   \n\t\n'), code: 'PARSE_EMPTY_DOCUMENT' },
  { name: 'binary (PNG header)', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), code: 'INGEST_BINARY_FILE' },
  { name: 'invalid UTF-8', bytes: Uint8Array.from([...encode(seed.slice(0, 300)), 0xc3, 0x28]), code: 'INGEST_INVALID_ENCODING' },
  { name: 'UTF-16 encoded', bytes: Uint8Array.from([0xff, 0xfe, ...[...'Evolut'].flatMap((c) => [c.charCodeAt(0), 0])]), code: 'INGEST_BINARY_FILE' },
  { name: '50 MB of repeated content', bytes: encode(seed.repeat(Math.ceil((50 * 1024 * 1024) / seed.length))), code: 'INGEST_TOO_LARGE' },
  // Cut before the last section: sections are missing; cut inside the references: the last one ends mid-sentence.
  ...[10, 25, 40, 55, 70, 85].map((percent) => ({
    name: `truncated at ${percent}%`,
    bytes: encode(seed.slice(0, Math.floor((seed.length * percent) / 100))),
    code: percent < 80 ? 'PARSE_MISSING_SECTION' : 'PARSE_TRUNCATED',
  })),
  { name: 'truncated right after the REFERENCES heading', bytes: encode(seed.slice(0, seed.indexOf('REFERENCES\n\n1.') + 12)), code: 'PARSE_TRUNCATED' },
  { name: 'duplicated INDICATIONS section', bytes: encode(replace(seed, 'CONTRAINDICATIONS/WARNINGS\n', 'INDICATIONS\n\nAgain\n\n- x\n\nCONTRAINDICATIONS/WARNINGS\n')), code: 'PARSE_DUPLICATE_SECTION' },
  { name: 'missing guideline number', bytes: encode(replace(seed, 'Guideline Number: Evolut_CG_3258', 'Guideline Number:')), code: 'PARSE_MISSING_GUIDELINE_NUMBER' },
  { name: 'missing dates', bytes: encode(replace(seed, 'Original Date: March 2015\tLast Revised Date: January 2026\tImplementation Date: January 2026', '')), code: 'PARSE_MISSING_DATE' },
  { name: 'impossible month', bytes: encode(replace(seed, 'Implementation Date: January 2026', 'Implementation Date: Janvember 2026')), code: 'PARSE_INVALID_DATE' },
  { name: 'revised before original', bytes: encode(replace(seed, 'Last Revised Date: January 2026', 'Last Revised Date: January 1999')), code: 'PARSE_DATE_ORDER' },
  { name: 'no codes', bytes: encode(replace(seed, '- J9039 - Injection, blinatumomab, 1 microgram', '')), code: 'PARSE_NO_CODES' },
  { name: 'no lines of business', bytes: encode(seed.replace(/<input[^\n]*\n/g, '')), code: 'PARSE_NO_LINES_OF_BUSINESS' },
  { name: 'control characters in text', bytes: encode(replace(seed, 'Known hypersensitivity', 'Known \u0007hypersensitivity')), code: 'PARSE_BINARY_CONTENT' },
  { name: 'rule set that is not YAML', bytes: encode(seed), rules: 'facts: [unclosed', code: 'INGEST_RULE_SET_INVALID' },
  { name: 'rule set with YAML alias bombs', bytes: encode(seed), rules: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`, code: 'INGEST_RULE_SET_INVALID' },
  { name: 'rule set citing text that is not there', bytes: encode(seed), rules: replace(rules, 'text: "Disease progression on or after treatment with Blincyto (blinatumomab)."', 'text: "Disease progression on any therapy."'), code: 'RULES_CITATION_MISMATCH' },
  { name: 'rule set with a limit that contradicts the text', bytes: encode(seed), rules: replace(rules, 'limit: { kind: MAX_DOSE, amount: 28,', 'limit: { kind: MAX_DOSE, amount: 35,'), code: 'RULES_LIMIT_MISMATCH' },
  { name: 'rule set leaving a criterion without a rule', bytes: encode(seed), rules: replace(rules, `contraindications:
  - cites:
      key: CI-46affae724
      text: "Known hypersensitivity to blinatumomab or any component of the formulation."
    when: { fact: knownHypersensitivity, eq: true }`, 'contraindications: []'), code: 'RULES_UNCOVERED_CRITERION' },
  { name: 'document whose text was edited under a reviewed rule set', bytes: encode(replace(seed, '28 mcg/day', '30 mcg/day')), rules, code: 'RULES_LIMIT_MISMATCH' },
];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

describe(`malformed and hostile documents on ${testProvider} (${corpus.length} kinds)`, () => {
  it.each(corpus)('$name is rejected ($code) and writes nothing', async ({ bytes, rules: ruleSet, code }) => {
    const before = await rowCounts(db.database);
    const result = await ingestDocument(db.database, { fileName: 'hostile.txt', bytes, ruleSet: ruleSet === undefined ? undefined : { fileName: 'hostile.rules.yaml', text: ruleSet } });
    expect(result.status).toBe('rejected');
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toContain(code);
    expect(await rowCounts(db.database)).toEqual(before);
  });

  it('HTML in a document is stored as text and never as markup', async () => {
    const injected = replace(seed, '- Disease progression on', '- <img src=x onerror=alert(1)><b>Disease</b> progression on');
    const result = await ingestDocument(db.database, { fileName: 'html.txt', bytes: encode(injected) });
    expect(result.status).toBe('loaded');
    const row = await db.database.client.criterion.findFirstOrThrow({ where: { versionId: result.versionId as string, kind: 'EXCLUSION', ordinal: 1 } });
    expect(row.text).toBe('Disease progression on or after treatment with Blincyto (blinatumomab).');
  });
});
