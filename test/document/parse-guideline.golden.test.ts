import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGuideline } from '../../src/document/parse-guideline.ts';
import { allDocuments, fixturesDir } from '../support/documents.ts';

const update = process.env['UPDATE'] === '1';

/** Golden files change only when someone runs the suite with UPDATE=1 and reviews the diff. */
describe('parseGuideline golden files', () => {
  for (const document of allDocuments()) {
    it(`${document.name} parses to its reviewed golden tree`, () => {
      const goldenPath = join(fixturesDir, 'golden', `${document.name}.expected.json`);
      const actual = `${JSON.stringify(parseGuideline(document.text), null, 2)}\n`;
      if (update) writeFileSync(goldenPath, actual);
      expect(existsSync(goldenPath), `missing golden file ${goldenPath}: run with UPDATE=1 and review it`).toBe(true);
      expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
    });
  }
});
