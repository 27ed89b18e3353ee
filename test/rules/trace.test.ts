import { describe, expect, it } from 'vitest';
import { epochDay } from '../../src/domain/calendar.ts';
import { decide } from '../../src/rules/decide.ts';
import { explainEntry } from '../../src/rules/explain.ts';
import { loadGuideline } from '../support/rule-sets.ts';

const { ruleSet } = loadGuideline('blincyto/Evolut_CG_3258-2026-01');
const request = (lineOfBusiness: string, facts: Record<string, string | number | boolean>) => ({
  dateOfService: epochDay('2026-03-02') ?? 0,
  lineOfBusiness,
  evidence: [],
  values: ruleSet.facts.map((fact) => {
    const value = facts[fact.key];
    return fact.type === 'date' && typeof value === 'string' ? (epochDay(value) ?? undefined) : value;
  }),
});

describe('the trace', () => {
  it('lists every rule; a request outside the lines of business evaluates none of them', () => {
    const decision = decide(ruleSet, request('CHIP', { knownHypersensitivity: true }));
    expect(decision.outcome).toBe('NOT_APPLICABLE');
    expect(decision.trace[0]).toMatchObject({ role: 'line-of-business', result: 'NOT_MET', deciding: true, citation: { key: 'LOB-CHIP', text: 'CHIP (Children’s Health Insurance Program)' } });
    expect(decision.trace.slice(1).every((entry) => entry.result === 'NOT_EVALUATED' && !entry.deciding)).toBe(true);
    expect(decision.trace).toHaveLength(1 + 1 + 3 + 3 + 1 + 3);
  });

  it('marks continuation conditions not evaluated when the request is not a continuation', () => {
    const decision = decide(ruleSet, request('COMMERCIAL', { isContinuationRequest: false }));
    expect(decision.trace.filter((entry) => entry.role === 'continuation').map((entry) => entry.result)).toEqual(['NOT_EVALUATED', 'NOT_EVALUATED', 'NOT_EVALUATED']);
  });

  it('explains an entry from the facts it read, separately from evaluation', () => {
    const decision = decide(ruleSet, request('COMMERCIAL', { requestedDosePerDayMcg: 30 }));
    const dose = decision.trace.find((entry) => entry.citation.key === 'EXC-de3884ab31');
    expect(dose && explainEntry(dose, (key) => (key === 'requestedDosePerDayMcg' ? 30 : undefined))).toBe('exclusion met: requestedDosePerDayMcg > 28 ug/d; given requestedDosePerDayMcg = 30');
  });
});
