/** When a version is in effect: from its implementation date until the next version's (exclusive). */
export interface EffectivePeriod {
  readonly from: Date;
  /** Null while no later version exists. */
  readonly to: Date | null;
}

/**
 * Derives effective periods from implementation dates. Nothing is stored on the older version, so
 * publishing a revision never modifies the version it supersedes.
 */
export function effectivePeriods<T extends { readonly effectiveFrom: Date }>(versions: readonly T[]): (T & { period: EffectivePeriod })[] {
  const sorted = [...versions].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  return sorted.map((version, index) => ({ ...version, period: { from: version.effectiveFrom, to: sorted[index + 1]?.effectiveFrom ?? null } }));
}

/** The version in effect at an instant, or null when none was (before the first implementation date). */
export function versionInEffect<T extends { readonly effectiveFrom: Date }>(versions: readonly T[], at: Date): T | null {
  let found: T | null = null;
  for (const version of versions) {
    if (version.effectiveFrom.getTime() <= at.getTime() && (!found || version.effectiveFrom.getTime() > found.effectiveFrom.getTime())) found = version;
  }
  return found;
}
