-- CreateEnum
CREATE TYPE "PassageSection" AS ENUM ('STATEMENT', 'EVIDENCE_SOURCE', 'DISCLAIMER', 'UNRECOGNIZED');

-- CreateEnum
CREATE TYPE "CriterionKind" AS ENUM ('CONTINUATION_CONDITION', 'INDICATION_SCENARIO', 'CONTRAINDICATION', 'BOXED_WARNING', 'WARNING', 'EXCLUSION', 'EXCLUSION_DETAIL');

-- CreateEnum
CREATE TYPE "LimitKind" AS ENUM ('MAX_DOSE', 'MAX_DURATION');

-- CreateTable
CREATE TABLE "Guideline" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Guideline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SourceDocument" (
    "id" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "byteLength" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SourceDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuidelineVersion" (
    "id" TEXT NOT NULL,
    "guidelineId" TEXT NOT NULL,
    "sourceDocumentId" TEXT NOT NULL,
    "parserVersion" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "organization" TEXT NOT NULL,
    "brandName" TEXT NOT NULL,
    "genericName" TEXT NOT NULL,
    "brandNameKey" TEXT NOT NULL,
    "genericNameKey" TEXT NOT NULL,
    "numberLineCells" JSONB NOT NULL,
    "organizationNote" TEXT NOT NULL,
    "copyright" TEXT NOT NULL,
    "originalMonth" TEXT NOT NULL,
    "lastRevisedMonth" TEXT NOT NULL,
    "implementationMonth" TEXT NOT NULL,
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "headerSpans" JSONB NOT NULL,
    "tableOfContents" JSONB NOT NULL,
    "headings" JSONB NOT NULL,
    "evidenceIntro" TEXT NOT NULL,
    "evidenceStartLine" INTEGER NOT NULL,
    "evidenceEndLine" INTEGER NOT NULL,
    "continuationPreamble" TEXT,
    "continuationStartLine" INTEGER,
    "continuationEndLine" INTEGER,
    "approvalCommittee" TEXT,
    "approvalStartLine" INTEGER,
    "approvalEndLine" INTEGER,
    "diagnostics" JSONB NOT NULL,
    "ingestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GuidelineVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Passage" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "section" "PassageSection" NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,

    CONSTRAINT "Passage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiseaseSection" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "heading" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "abbreviation" TEXT,
    "qualifier" TEXT,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,
    "populationText" TEXT,
    "populationGroups" JSONB NOT NULL,
    "minimumAgeValue" INTEGER,
    "minimumAgeUnit" TEXT,
    "minimumAgeText" TEXT,
    "markers" JSONB NOT NULL,
    "condition" TEXT,
    "populationStartLine" INTEGER,
    "populationEndLine" INTEGER,

    CONSTRAINT "DiseaseSection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Criterion" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "CriterionKind" NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "connective" TEXT,
    "parentId" TEXT,
    "diseaseSectionId" TEXT,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,

    CONSTRAINT "Criterion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuantitativeLimit" (
    "id" TEXT NOT NULL,
    "criterionId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "kind" "LimitKind" NOT NULL,
    "amount" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    "per" JSONB NOT NULL,
    "qualifier" TEXT,
    "sourceText" TEXT NOT NULL,

    CONSTRAINT "QuantitativeLimit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BillingCode" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "system" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "unitAmount" DOUBLE PRECISION,
    "unit" TEXT,
    "unitText" TEXT,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,

    CONSTRAINT "BillingCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VersionLineOfBusiness" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "applicable" BOOLEAN NOT NULL,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,

    CONSTRAINT "VersionLineOfBusiness_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyHistoryEntry" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,

    CONSTRAINT "PolicyHistoryEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reference" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "citation" TEXT NOT NULL,
    "authors" TEXT,
    "title" TEXT,
    "journal" TEXT,
    "publication" TEXT,
    "year" INTEGER,
    "doi" TEXT,
    "url" TEXT,
    "duplicateOfOrdinal" INTEGER,
    "startLine" INTEGER NOT NULL,
    "endLine" INTEGER NOT NULL,

    CONSTRAINT "Reference_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Guideline_number_key" ON "Guideline"("number");

-- CreateIndex
CREATE UNIQUE INDEX "SourceDocument_sha256_key" ON "SourceDocument"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "GuidelineVersion_sourceDocumentId_key" ON "GuidelineVersion"("sourceDocumentId");

-- CreateIndex
CREATE INDEX "GuidelineVersion_effectiveFrom_idx" ON "GuidelineVersion"("effectiveFrom");

-- CreateIndex
CREATE INDEX "GuidelineVersion_brandNameKey_idx" ON "GuidelineVersion"("brandNameKey");

-- CreateIndex
CREATE INDEX "GuidelineVersion_genericNameKey_idx" ON "GuidelineVersion"("genericNameKey");

-- CreateIndex
CREATE UNIQUE INDEX "GuidelineVersion_guidelineId_implementationMonth_key" ON "GuidelineVersion"("guidelineId", "implementationMonth");

-- CreateIndex
CREATE UNIQUE INDEX "Passage_versionId_section_ordinal_key" ON "Passage"("versionId", "section", "ordinal");

-- CreateIndex
CREATE UNIQUE INDEX "DiseaseSection_versionId_ordinal_key" ON "DiseaseSection"("versionId", "ordinal");

-- CreateIndex
CREATE INDEX "Criterion_key_idx" ON "Criterion"("key");

-- CreateIndex
CREATE INDEX "Criterion_versionId_kind_idx" ON "Criterion"("versionId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Criterion_versionId_key_key" ON "Criterion"("versionId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "QuantitativeLimit_criterionId_ordinal_key" ON "QuantitativeLimit"("criterionId", "ordinal");

-- CreateIndex
CREATE INDEX "BillingCode_code_idx" ON "BillingCode"("code");

-- CreateIndex
CREATE UNIQUE INDEX "BillingCode_versionId_code_key" ON "BillingCode"("versionId", "code");

-- CreateIndex
CREATE INDEX "VersionLineOfBusiness_code_applicable_idx" ON "VersionLineOfBusiness"("code", "applicable");

-- CreateIndex
CREATE UNIQUE INDEX "VersionLineOfBusiness_versionId_code_key" ON "VersionLineOfBusiness"("versionId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyHistoryEntry_versionId_ordinal_key" ON "PolicyHistoryEntry"("versionId", "ordinal");

-- CreateIndex
CREATE INDEX "Reference_doi_idx" ON "Reference"("doi");

-- CreateIndex
CREATE UNIQUE INDEX "Reference_versionId_ordinal_key" ON "Reference"("versionId", "ordinal");

-- AddForeignKey
ALTER TABLE "GuidelineVersion" ADD CONSTRAINT "GuidelineVersion_guidelineId_fkey" FOREIGN KEY ("guidelineId") REFERENCES "Guideline"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuidelineVersion" ADD CONSTRAINT "GuidelineVersion_sourceDocumentId_fkey" FOREIGN KEY ("sourceDocumentId") REFERENCES "SourceDocument"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Passage" ADD CONSTRAINT "Passage_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiseaseSection" ADD CONSTRAINT "DiseaseSection_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Criterion" ADD CONSTRAINT "Criterion_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Criterion" ADD CONSTRAINT "Criterion_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Criterion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Criterion" ADD CONSTRAINT "Criterion_diseaseSectionId_fkey" FOREIGN KEY ("diseaseSectionId") REFERENCES "DiseaseSection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuantitativeLimit" ADD CONSTRAINT "QuantitativeLimit_criterionId_fkey" FOREIGN KEY ("criterionId") REFERENCES "Criterion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BillingCode" ADD CONSTRAINT "BillingCode_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VersionLineOfBusiness" ADD CONSTRAINT "VersionLineOfBusiness_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyHistoryEntry" ADD CONSTRAINT "PolicyHistoryEntry_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reference" ADD CONSTRAINT "Reference_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
