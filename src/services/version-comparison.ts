import type { Change, ChangeKind } from '../compare/compare-versions.ts';
import { compareVersions } from '../compare/compare-versions.ts';
import { badInput } from '../domain/errors.ts';
import type { VersionEntry } from './version-catalog.ts';

export type { Change, ChangeKind };

export interface VersionComparison {
  readonly from: VersionEntry;
  readonly to: VersionEntry;
  readonly changes: readonly Change[];
}

/** Compares two versions of one guideline (auditors read the result without opening the documents). */
export function compareGuidelineVersions(from: VersionEntry, to: VersionEntry): VersionComparison {
  if (from.guidelineId !== to.guidelineId) throw badInput('from and to must be versions of the same guideline', [{ field: 'to', message: 'another guideline' }]);
  return { from, to, changes: compareVersions(from.document, to.document) };
}

/** What changed between consecutive versions, oldest change first (versions in effective order). */
export function changeHistory(versions: readonly VersionEntry[]): VersionComparison[] {
  return versions.slice(1).map((to, index) => compareGuidelineVersions(versions[index] as VersionEntry, to));
}

export function countByKind(changes: readonly Change[]): { kind: ChangeKind; count: number }[] {
  const counts = new Map<ChangeKind, number>();
  for (const change of changes) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => ({ kind, count }));
}
