import type { Determination } from '../domain/determination.ts';
import { badInput, DomainError } from '../domain/errors.ts';
import { decide } from '../rules/decide.ts';
import type { Client } from '../store/database.ts';
import { recentDeterminations } from '../store/determination-store.ts';
import { readRawRequest, renderDecision, toDetermination } from './evaluate-request.ts';
import type { VersionCatalog, VersionEntry } from './version-catalog.ts';

export interface ImpactItem {
  readonly determination: Determination;
  readonly before: string;
  readonly after: string;
  readonly reasons: Determination['reasons'];
}

/**
 * Re-decides stored determinations of a guideline against another version (e.g. a revision not yet
 * in effect) and reports the ones whose outcome would change. Stores nothing. Stored requests keep
 * only the facts their rules read; facts the other rule set does not know are left out.
 */
export async function analyzeImpact(client: Client, catalog: VersionCatalog, versionId: string, limit: number): Promise<{ version: VersionEntry; evaluated: number; items: ImpactItem[] }> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badInput('limit must be 1 to 500', [{ field: 'limit', message: 'out of range' }]);
  const version = await catalog.get(versionId);
  if (!version) throw new DomainError('NOT_FOUND', `no version ${versionId}`, [{ field: 'versionId', message: 'unknown version' }]);
  const ruleSet = version.compiledRuleSet;
  if (!ruleSet) throw new DomainError('NOT_DECIDABLE', `version ${versionId} has no reviewed rule set`);
  const stored = (await recentDeterminations(client, version.guidelineNumber, limit)).map(toDetermination);
  const known = new Set(ruleSet.facts.map((fact) => fact.key));
  const items: ImpactItem[] = [];
  for (const determination of stored) {
    const request = readRawRequest(ruleSet, {
      dateOfService: determination.dateOfService,
      lineOfBusiness: determination.lineOfBusiness,
      facts: determination.factsUsed.filter((fact) => known.has(fact.key)),
      evidence: determination.evidence,
    });
    const decision = decide(ruleSet, request);
    if (decision.outcome !== determination.outcome) {
      items.push({ determination, before: determination.outcome, after: decision.outcome, reasons: renderDecision(ruleSet, decision).reasons.filter((reason) => reason.deciding) });
    }
  }
  return { version, evaluated: stored.length, items };
}
