-- AlterEnum
ALTER TYPE "PassageSection" ADD VALUE 'CONTRAINDICATIONS_NONE';

-- AlterTable
ALTER TABLE "Criterion" ADD COLUMN     "populationOrdinal" INTEGER;

-- CreateTable
CREATE TABLE "Population" (
    "id" TEXT NOT NULL,
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

    CONSTRAINT "Population_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Population_diseaseSectionId_ordinal_key" ON "Population"("diseaseSectionId", "ordinal");

-- AddForeignKey
ALTER TABLE "Population" ADD CONSTRAINT "Population_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Population" ADD CONSTRAINT "Population_diseaseSectionId_fkey" FOREIGN KEY ("diseaseSectionId") REFERENCES "DiseaseSection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the population of every section stored before populations had a table of their
-- own becomes that section's population 1, and its scenarios are marked as population 1's. A section
-- stored without a population line (the earlier parser allowed it) gets a population 1 with empty
-- text, so its scenarios are kept, not lost. The
-- Criterion immutability trigger is lifted for that one statement only.
INSERT INTO "Population" ("id", "versionId", "diseaseSectionId", "ordinal", "text", "groups", "minimumAgeValue", "minimumAgeUnit", "minimumAgeText", "markers", "condition", "startLine", "endLine")
SELECT "id" || ':population-1', "versionId", "id", 1, COALESCE("populationText", ''), "populationGroups", "minimumAgeValue", "minimumAgeUnit", "minimumAgeText", "markers", "condition", COALESCE("populationStartLine", "startLine"), COALESCE("populationEndLine", "startLine")
FROM "DiseaseSection";
ALTER TABLE "Criterion" DISABLE TRIGGER "Criterion_immutable";
UPDATE "Criterion" SET "populationOrdinal" = 1 WHERE "kind" = 'INDICATION_SCENARIO' AND "diseaseSectionId" IS NOT NULL;
ALTER TABLE "Criterion" ENABLE TRIGGER "Criterion_immutable";

-- AlterTable
ALTER TABLE "DiseaseSection" DROP COLUMN "condition",
DROP COLUMN "markers",
DROP COLUMN "minimumAgeText",
DROP COLUMN "minimumAgeUnit",
DROP COLUMN "minimumAgeValue",
DROP COLUMN "populationEndLine",
DROP COLUMN "populationGroups",
DROP COLUMN "populationStartLine",
DROP COLUMN "populationText";

-- AlterTable
ALTER TABLE "QuantitativeLimit" ADD COLUMN     "alternative" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "capAmount" DOUBLE PRECISION,
ADD COLUMN     "capUnit" TEXT,
ADD COLUMN     "condition" TEXT,
ADD COLUMN     "intervalAmount" DOUBLE PRECISION,
ADD COLUMN     "intervalUnit" TEXT;


-- Hand-written: published versions stay immutable.
CREATE TRIGGER "Population_immutable" BEFORE UPDATE OR DELETE ON "Population" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
