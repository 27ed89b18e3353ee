import type { Determination, DeterminationOutcome } from '../domain/determination.ts';
import { badInput, DomainError } from '../domain/errors.ts';
import { decide } from '../rules/decide.ts';
import type { Client } from '../store/database.ts';
import { recentDeterminations } from '../store/determination-store.ts';
import { readRequest } from '../rules/read-request.ts';
import { renderDecision, toDetermination } from './evaluate-request.ts';
import type { VersionCatalog, VersionEntry } from './version-catalog.ts';

const DECIDED = new Set(['APPROVED', 'DENIED', 'PENDED', 'INCOMPLETE', 'NOT_APPLICABLE']);

export interface ImpactItem {
  readonly determination: Determination;
  readonly before: DeterminationOutcome;
  readonly after: DeterminationOutcome;
  readonly reasons: Determination['reasons'];
}

/**
 * Re-decides stored determinations of a guideline against another version (e.g. a revision not yet
 * in effect) and reports the ones whose outcome would change. Stores nothing. Stored requests keep
 * only the facts their rules read; facts the other rule set does not know are left out.
 */
export async function analyzeImpact(client: Client, catalog: VersionCatalog, versionId: string, limit: number): Promise<{ version: VersionEntry; evaluated: number; notComparable: number; items: ImpactItem[] }> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badInput('limit must be 1 to 500', [{ field: 'limit', message: 'out of range' }]);
  const version = await catalog.get(versionId);
  if (!version) throw new DomainError('NOT_FOUND', `no version ${versionId}`, [{ field: 'versionId', message: 'unknown version' }]);
  const ruleSet = version.compiledRuleSet;
  if (!ruleSet) throw new DomainError('NOT_DECIDABLE', `version ${versionId} has no reviewed rule set`);
  // Only decided requests can be re-decided: NO_EFFECTIVE_VERSION / NOT_DECIDABLE kept no facts.
  const stored = (await recentDeterminations(client, version.guidelineNumber, limit)).map(toDetermination).filter((determination) => DECIDED.has(determination.outcome));
  const known = new Set(ruleSet.facts.map((fact) => fact.key));
  const items: ImpactItem[] = [];
  let notComparable = 0;
  for (const determination of stored) {
    // A stored request the other fact schema refuses (a narrower range, a removed value) is counted,
    // never quoted: its values are clinical facts.
    const { request } = readRequest(ruleSet, {
      dateOfService: determination.dateOfService,
      lineOfBusiness: determination.lineOfBusiness,
      facts: determination.factsUsed.filter((fact) => known.has(fact.key)),
      evidence: determination.evidence,
    });
    if (!request) {
      notComparable += 1;
      continue;
    }
    const decision = decide(ruleSet, request);
    if (decision.outcome !== determination.outcome) {
      items.push({ determination, before: determination.outcome, after: decision.outcome, reasons: renderDecision(ruleSet, decision).reasons.filter((reason) => reason.deciding) });
    }
  }
  return { version, evaluated: stored.length - notComparable, notComparable, items };
}
