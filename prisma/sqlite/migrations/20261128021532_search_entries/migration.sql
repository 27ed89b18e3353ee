-- CreateTable
CREATE TABLE "SearchEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "versionId" TEXT NOT NULL,
    "section" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    CONSTRAINT "SearchEntry_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "GuidelineVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SearchEntry_versionId_idx" ON "SearchEntry"("versionId");

-- Full-text index (hand-written; listed as external tables so the differ leaves it alone).
-- External-content FTS5 over SearchEntry; rows are only ever inserted (versions are immutable).
CREATE VIRTUAL TABLE "SearchEntry_fts" USING fts5("text", content='SearchEntry', content_rowid='rowid', tokenize='porter unicode61');
CREATE TRIGGER "SearchEntry_fts_insert" AFTER INSERT ON "SearchEntry" BEGIN
  INSERT INTO "SearchEntry_fts"(rowid, "text") VALUES (new.rowid, new."text");
END;
CREATE TRIGGER "SearchEntry_no_update" BEFORE UPDATE ON "SearchEntry" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: UPDATE on SearchEntry refused'); END;
CREATE TRIGGER "SearchEntry_no_delete" BEFORE DELETE ON "SearchEntry" BEGIN SELECT RAISE(ABORT, 'published guideline versions are immutable: DELETE on SearchEntry refused'); END;
