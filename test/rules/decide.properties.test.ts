import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochDay } from '../../src/domain/calendar.ts';
import type { CoreRequest } from '../../src/rules/decide.ts';
import { decide } from '../../src/rules/decide.ts';
import type { Scalar } from '../../src/rules/expression.ts';
import type { FactDefinition } from '../../src/rules/rule-set.ts';
import { loadGuideline } from '../support/rule-sets.ts';

const { ruleSet } = loadGuideline('blincyto/Evolut_CG_3258-2026-01');

/** An approved request (relapsed/refractory adult); generated requests perturb it, so every outcome is reached. */
const approvedBaseline: Record<string, Scalar> = {
  birthDate: epochDay('1980-05-17') ?? 0, diagnosis: 'B_CELL_ALL', cd19Status: 'POSITIVE', treatmentSetting: 'RELAPSED_REFRACTORY',
  singleAgent: true, knownHypersensitivity: false, diseaseProgressionOnBlinatumomab: false, requestedDosePerDayMcg: 28,
  requestedCyclePhase: 'INDUCTION', requestedCycles: 2, priorInductionConsolidationCycles: 0, isContinuationRequest: false,
};

function arbitraryValue(fact: FactDefinition): fc.Arbitrary<Scalar | undefined> {
  const value = ((): fc.Arbitrary<Scalar> => {
    switch (fact.type) {
      case 'boolean': return fc.boolean();
      case 'integer': return fc.integer({ min: fact.minimum ?? 0, max: Math.min(fact.maximum ?? 10, 10) });
      case 'number': return fc.constantFrom(0, 10, 27.9, 28, 28.1, 60);
      case 'date': return fc.integer({ min: epochDay('1950-01-01') ?? 0, max: epochDay('2026-03-01') ?? 0 });
      case 'enum': return fc.constantFrom(...(fact.values ?? ['x']));
    }
  })();
  const baseline = approvedBaseline[fact.key];
  // Mostly the approved value, often another value, often missing: unknowns are exercised as much as values.
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(baseline) },
    { weight: 1, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const arbitraryRequest: fc.Arbitrary<CoreRequest> = fc.record({
  dateOfService: fc.constant(epochDay('2026-03-02') ?? 0),
  lineOfBusiness: fc.constantFrom('COMMERCIAL', 'MEDICAID', 'EXCHANGE_MARKETPLACE', 'COMMERCIAL', 'CHIP'),
  values: fc.tuple(...ruleSet.facts.map(arbitraryValue)),
  evidence: fc.constant([]),
});

const slot = (key: string): number => ruleSet.slotOf.get(key) ?? -1;
const withValue = (request: CoreRequest, key: string, value: Scalar | undefined): CoreRequest => {
  const values = [...request.values];
  values[slot(key)] = value;
  return { ...request, values };
};

/** Values that make each exclusion or contraindication true. */
const makeTrue: Record<string, [string, Scalar][]> = {
  'CI-46affae724': [['knownHypersensitivity', true]],
  'EXC-1469f4ef5c': [['diseaseProgressionOnBlinatumomab', true]],
  'EXC-de3884ab31': [['requestedDosePerDayMcg', 29]],
  'EXC-beb2bcf92e': [['requestedCyclePhase', 'CONSOLIDATION'], ['priorInductionConsolidationCycles', 4], ['requestedCycles', 1]],
};

describe('decision properties (fast-check)', () => {
  it('evaluation is deterministic', () => {
    fc.assert(fc.property(arbitraryRequest, (request) => {
      expect(decide(ruleSet, request)).toEqual(decide(ruleSet, request));
    }), { numRuns: 500 });
  });

  it('making any exclusion or contraindication true never turns a non-approval into an approval', () => {
    fc.assert(fc.property(arbitraryRequest, fc.constantFrom(...Object.keys(makeTrue)), (request, key) => {
      const before = decide(ruleSet, request).outcome;
      const excluded = (makeTrue[key] ?? []).reduce((r, [fact, value]) => withValue(r, fact, value), request);
      const after = decide(ruleSet, excluded).outcome;
      if (before !== 'APPROVED') expect(after).not.toBe('APPROVED');
      if (before !== 'NOT_APPLICABLE') expect(after).toBe('DENIED');
    }), { numRuns: 500 });
  });

  it('removing a fact never turns a non-approval into an approval', () => {
    fc.assert(fc.property(arbitraryRequest, fc.constantFrom(...ruleSet.facts.map((f) => f.key)), (request, key) => {
      const before = decide(ruleSet, request).outcome;
      const after = decide(ruleSet, withValue(request, key, undefined)).outcome;
      if (before !== 'APPROVED') expect(after).not.toBe('APPROVED');
    }), { numRuns: 1000 });
  });

  it('an approval never has an unknown or unmet deciding criterion, and never misses a fact', () => {
    const outcomes = new Map<string, number>();
    fc.assert(fc.property(arbitraryRequest, (request) => {
      const decision = decide(ruleSet, request);
      outcomes.set(decision.outcome, (outcomes.get(decision.outcome) ?? 0) + 1);
      if (decision.outcome !== 'APPROVED') return;
      expect(decision.trace.filter((entry) => entry.deciding && entry.result !== 'MET')).toEqual([]);
      expect(decision.trace.filter((entry) => (entry.role === 'exclusion' || entry.role === 'contraindication') && entry.result !== 'NOT_MET')).toEqual([]);
    }), { numRuns: 2000 });
    // The generator must actually reach approvals, or this property would hold vacuously.
    expect(outcomes.get('APPROVED') ?? 0, JSON.stringify([...outcomes])).toBeGreaterThan(20);
  });

  it('an incomplete decision always names at least one missing fact', () => {
    fc.assert(fc.property(arbitraryRequest, (request) => {
      const decision = decide(ruleSet, request);
      if (decision.outcome === 'INCOMPLETE') expect(decision.missingFacts.length).toBeGreaterThan(0);
    }), { numRuns: 1000 });
  });
});
