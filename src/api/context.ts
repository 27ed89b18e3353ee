import DataLoader from 'dataloader';
import type { Caller } from './authorization.ts';
import type { RequestObservation, ServerMetrics } from './metrics.ts';
import type { ResponseBudget } from './response-budget.ts';
import type { Database } from '../store/database.ts';
import type { VersionCatalog, VersionEntry } from '../services/version-catalog.ts';
import type { DraftEvaluator } from '../services/draft-evaluator.ts';
import type { GuidelineRow, VersionSummary } from '../store/guideline-reader.ts';
import { findGuidelinesByIds, versionSummaries } from '../store/guideline-reader.ts';
import type { DeterminationBody } from '../store/determination-query.ts';
import { determinationBodies, determinationSummaries } from '../store/determination-query.ts';
import type { ReviewRow } from '../store/review-store.ts';
import { reviewsOfDeterminations } from '../store/review-store.ts';

export interface ApiContext {
  readonly caller: Caller;
  readonly database: Database;
  readonly catalog: VersionCatalog;
  /** Evaluates drafts in worker threads with a hard deadline. */
  readonly drafts: DraftEvaluator;
  /** "Today" for currentVersion: read once per request, never inside pure code. */
  readonly now: Date;
  readonly loaders: Loaders;
  readonly metrics: ServerMetrics;
  /** What this request turned out to ask (its root field), for metrics. */
  readonly observed: RequestObservation;
  /** The audit key each stored determination is sealed with (null without AUDIT_HMAC_KEY). */
  readonly auditKey: Uint8Array | null;
  /** Counts the list items this answer holds (response-budget.ts). */
  readonly budget: ResponseBudget;
}

export interface Loaders {
  readonly guideline: DataLoader<string, GuidelineRow | null>;
  readonly versionsOfGuideline: DataLoader<string, readonly VersionSummary[]>;
  readonly version: DataLoader<string, VersionEntry | null>;
  /** A determination's reviews, oldest first. */
  readonly reviews: DataLoader<string, readonly ReviewRow[]>;
  /** What a listed determination left out (facts, evidence, result), read only for fields that need it. */
  readonly determinationBody: DataLoader<string, DeterminationBody>;
  /** A listed determination's summary, taken out of its result by the database. */
  readonly determinationSummary: DataLoader<string, string>;
}

/** Per-request loaders batch lookups, so a page of N guidelines costs the same number of queries as one. */
export function createLoaders(database: Database, catalog: VersionCatalog): Loaders {
  return {
    guideline: new DataLoader(async (ids) => {
      const rows = new Map((await findGuidelinesByIds(database.client, ids)).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    // A guideline's versions change only with the catalog, whose every change clears these lookups.
    versionsOfGuideline: new DataLoader((ids) => catalog.lookupMany('versions-of:', ids, async (missing) => {
      const byGuideline = new Map<string, VersionSummary[]>(missing.map((id) => [id, []]));
      for (const summary of await versionSummaries(database.client, missing)) byGuideline.get(summary.guidelineId)?.push(summary);
      return missing.map((id) => byGuideline.get(id) ?? []);
    })),
    version: new DataLoader((ids) => catalog.getMany(ids)),
    reviews: new DataLoader(async (ids) => {
      const byDetermination = new Map<string, ReviewRow[]>(ids.map((id) => [id, []]));
      for (const review of await reviewsOfDeterminations(database.client, ids)) byDetermination.get(review.determinationId)?.push(review);
      return ids.map((id) => byDetermination.get(id) ?? []);
    }),
    // Determinations are append-only: what was listed is still there.
    determinationBody: new DataLoader(async (ids) => {
      const byId = new Map((await determinationBodies(database.client, ids)).map((body) => [body.id, body]));
      return ids.map((id) => byId.get(id) ?? new Error(`determination ${id} not found`));
    }),
    determinationSummary: new DataLoader(async (ids) => {
      const byId = new Map((await determinationSummaries(database, ids)).map((row) => [row.id, row.summary]));
      return ids.map((id) => byId.get(id) ?? new Error(`determination ${id} has no summary`));
    }, { maxBatchSize: 500 }),
  };
}
