-- AlterTable
ALTER TABLE "Criterion" ADD COLUMN "populationOrdinal" INTEGER;

-- CreateTable
CREATE TABLE "Population" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "diseaseSectionId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "groups" JSONB NOT NULL,
    "minimumAgeValue" INTEGER,
    "minimumAgeUnit" TEXT,
    "minimumAgeText" TEXT,
    "markers" JSONB NOT NULL,
    "condition" TEXT,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,
    CONSTRAINT "Population_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Population_diseaseSectionId_fkey" FOREIGN KEY ("diseaseSectionId") REFERENCES "DiseaseSection" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- Hand-written: the population of every section stored before populations had a table of their
-- own becomes that section's population 1, and its scenarios are marked as population 1's. A section
-- stored without a population line (the earlier parser allowed it) gets a population 1 with empty
-- text, so its scenarios are kept, not lost. The
-- Criterion immutability trigger is lifted for that one statement only.
INSERT INTO "Population" ("id", "versionId", "diseaseSectionId", "ordinal", "text", "groups", "minimumAgeValue", "minimumAgeUnit", "minimumAgeText", "markers", "condition", "startLine", "endLine")
SELECT "id" || ':population-1', "versionId", "id", 1, COALESCE("populationText", ''), "populationGroups", "minimumAgeValue", "minimumAgeUnit", "minimumAgeText", "markers", "condition", COALESCE("populationStartLine", "startLine"), COALESCE("populationEndLine", "startLine")
FROM "DiseaseSection";
DROP TRIGGER "Criterion_no_update";
UPDATE "Criterion" SET "populationOrdinal" = 1 WHERE "kind" = 'INDICATION_SCENARIO' AND "diseaseSectionId" IS NOT NULL;
CREATE TRIGGER "Criterion_no_update" BEFORE UPDATE ON "Criterion" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on Criterion refused'); END;

-- Hand-written in place of Prisma's table redefinition: inside the migration's transaction SQLite
-- cannot turn foreign keys off, so dropping the old DiseaseSection table would set every scenario's
-- diseaseSectionId to NULL (and trip the Criterion trigger). Adding and dropping columns in place
-- gives the same tables and keeps the rows, their links and their immutability triggers.
ALTER TABLE "DiseaseSection" DROP COLUMN "populationText";
ALTER TABLE "DiseaseSection" DROP COLUMN "populationGroups";
ALTER TABLE "DiseaseSection" DROP COLUMN "minimumAgeValue";
ALTER TABLE "DiseaseSection" DROP COLUMN "minimumAgeUnit";
ALTER TABLE "DiseaseSection" DROP COLUMN "minimumAgeText";
ALTER TABLE "DiseaseSection" DROP COLUMN "markers";
ALTER TABLE "DiseaseSection" DROP COLUMN "condition";
ALTER TABLE "DiseaseSection" DROP COLUMN "populationStartLine";
ALTER TABLE "DiseaseSection" DROP COLUMN "populationEndLine";
ALTER TABLE "QuantitativeLimit" ADD COLUMN "capAmount" REAL;
ALTER TABLE "QuantitativeLimit" ADD COLUMN "capUnit" TEXT;
ALTER TABLE "QuantitativeLimit" ADD COLUMN "intervalAmount" REAL;
ALTER TABLE "QuantitativeLimit" ADD COLUMN "intervalUnit" TEXT;
ALTER TABLE "QuantitativeLimit" ADD COLUMN "condition" TEXT;
ALTER TABLE "QuantitativeLimit" ADD COLUMN "alternative" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "Population_diseaseSectionId_ordinal_key" ON "Population"("diseaseSectionId", "ordinal");

-- Hand-written: published versions stay immutable.
CREATE TRIGGER "Population_no_update" BEFORE UPDATE ON "Population" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on Population refused'); END;
CREATE TRIGGER "Population_no_delete" BEFORE DELETE ON "Population" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on Population refused'); END;
