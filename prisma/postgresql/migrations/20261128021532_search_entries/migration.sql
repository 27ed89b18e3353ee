-- CreateTable
CREATE TABLE "SearchEntry" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "SearchEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SearchEntry_versionId_idx" ON "SearchEntry"("versionId");

-- AddForeignKey
ALTER TABLE "SearchEntry" ADD CONSTRAINT "SearchEntry_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Full-text index (hand-written): an expression GIN index the differ ignores, used by plainto_tsquery.
CREATE INDEX "SearchEntry_text_fts" ON "SearchEntry" USING GIN (to_tsvector('english', "text"));
CREATE TRIGGER "SearchEntry_immutable" BEFORE UPDATE OR DELETE ON "SearchEntry" FOR EACH ROW EXECUTE FUNCTION "reject_change_to_published_version"();
