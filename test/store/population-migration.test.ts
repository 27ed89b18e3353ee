import { afterAll, describe, expect, it } from 'vitest';
import { openMigrationDriver } from '../../src/store/migrations/migration-drivers.ts';
import { applyMigrations, readMigrations } from '../../src/store/migrations/migration-runner.ts';
import { createTestDatabaseUrl, testProvider } from '../support/test-database.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/**
 * Versions stored before a disease section could have several populations kept its one population
 * in the section's own columns. The migration that gave populations a table must carry every such
 * population over as population 1, with its scenarios, and keep published rows immutable.
 */
describe(`the populations migration on ${testProvider}`, () => {
  it('carries stored populations and their scenarios over, and keeps every row immutable', async () => {
    const { url, drop } = await createTestDatabaseUrl();
    cleanups.push(drop);
    const migrations = readMigrations(testProvider);
    const at = migrations.findIndex((migration) => migration.name.endsWith('_populations_and_limit_parts'));
    expect(at).toBeGreaterThan(0);
    const driver = await openMigrationDriver(url);
    try {
      await applyMigrations(driver, migrations.slice(0, at));
      await driver.exec(`
        INSERT INTO "Guideline" ("id", "number") VALUES ('g1', 'Evolut_CG_1');
        INSERT INTO "SourceDocument" ("id", "sha256", "text", "byteLength", "fileName") VALUES ('s1', 'abc', 'text', 4, 'x.txt');
        INSERT INTO "GuidelineVersion" ("id", "guidelineId", "sourceDocumentId", "parserVersion", "title", "organization", "brandName", "genericName", "brandNameKey", "genericNameKey",
          "numberLineCells", "organizationNote", "copyright", "originalMonth", "lastRevisedMonth", "implementationMonth", "effectiveFrom", "headerSpans", "tableOfContents", "headings",
          "evidenceIntro", "evidenceStartLine", "evidenceEndLine", "diagnostics")
          VALUES ('v1', 'g1', 's1', 'evolut-template/1', 'T', 'O', 'B', 'G', 'b', 'g', '[]', '', '', '2020-01', '2020-01', '2020-01', '2020-01-01T00:00:00.000Z', '{}', '[]', '[]', '', 0, 0, '[]');
        INSERT INTO "DiseaseSection" ("id", "versionId", "ordinal", "heading", "name", "startLine", "endLine", "populationText", "populationGroups", "minimumAgeValue", "minimumAgeUnit",
          "minimumAgeText", "markers", "condition", "populationStartLine", "populationEndLine")
          VALUES ('d1', 'v1', 1, 'ALL', 'ALL', 47, 51, 'B may be used in adult members with ALL in the following scenarios:', '["adult"]', 18, 'year', '18 years and older', '["CD19-positive"]', 'ALL', 49, 49),
                 ('d2', 'v1', 2, 'CLL', 'CLL', 53, 55, NULL, '[]', NULL, NULL, NULL, '[]', NULL, NULL, NULL);
        INSERT INTO "Criterion" ("id", "versionId", "key", "kind", "ordinal", "text", "diseaseSectionId", "startLine", "endLine")
          VALUES ('c1', 'v1', 'IND-1', 'INDICATION_SCENARIO', 1, 'As a single agent', 'd1', 50, 50),
                 ('c3', 'v1', 'IND-2', 'INDICATION_SCENARIO', 1, 'In combination', 'd2', 55, 55),
                 ('c2', 'v1', 'EXC-1', 'EXCLUSION', 1, 'Disease progression.', NULL, 60, 60);
        INSERT INTO "QuantitativeLimit" ("id", "criterionId", "ordinal", "kind", "amount", "unit", "per", "sourceText") VALUES ('l1', 'c2', 1, 'MAX_DOSE', 28, 'mcg', '["day"]', '28 mcg/day');
      `);
      expect((await applyMigrations(driver, migrations)).applied).toEqual(migrations.slice(at).map((migration) => migration.name));
      const populations = await driver.query<Record<string, unknown>>('SELECT "diseaseSectionId", "versionId", "ordinal", "text", "minimumAgeValue", "condition", "startLine" FROM "Population" ORDER BY "diseaseSectionId"');
      // A section stored without a population line keeps its scenarios under an empty population 1.
      expect(populations).toEqual([
        { diseaseSectionId: 'd1', versionId: 'v1', ordinal: 1, text: 'B may be used in adult members with ALL in the following scenarios:', minimumAgeValue: 18, condition: 'ALL', startLine: 49 },
        { diseaseSectionId: 'd2', versionId: 'v1', ordinal: 1, text: '', minimumAgeValue: null, condition: null, startLine: 53 },
      ]);
      const criteria = await driver.query<{ id: string; populationOrdinal: number | null; diseaseSectionId: string | null }>('SELECT "id", "populationOrdinal", "diseaseSectionId" FROM "Criterion" ORDER BY "id"');
      expect(criteria).toEqual([{ id: 'c1', populationOrdinal: 1, diseaseSectionId: 'd1' }, { id: 'c2', populationOrdinal: null, diseaseSectionId: null }, { id: 'c3', populationOrdinal: 1, diseaseSectionId: 'd2' }]);
      const limits = await driver.query<Record<string, unknown>>('SELECT "amount", "capAmount", "intervalAmount", "condition" FROM "QuantitativeLimit"');
      expect(limits).toEqual([{ amount: 28, capAmount: null, intervalAmount: null, condition: null }]);
      for (const statement of ['UPDATE "Population" SET "text" = \'x\'', 'DELETE FROM "Population"', 'UPDATE "Criterion" SET "text" = \'x\'', 'UPDATE "DiseaseSection" SET "name" = \'x\'', 'DELETE FROM "QuantitativeLimit"']) {
        await expect(driver.exec(statement), statement).rejects.toThrow(/immutable/);
      }
    } finally {
      await driver.close();
    }
  });
});
