/** Operations preloaded in the playground, one tab each. Also used by the tests, so they stay valid. */
export const PLAYGROUND_EXAMPLES: readonly { readonly name: string; readonly query: string; readonly variables?: Record<string, unknown> }[] = [
  {
    name: 'Lookup by guideline number',
    query: `# A guideline, its versions, and the criteria of the current one with their stable keys.
query GuidelineWithCurrentCriteria {
  guideline(number: "Evolut_CG_3258") {
    number
    brandName
    genericName
    versions { id implementationDate effectiveFrom effectiveTo decidable }
    currentVersion {
      title
      indications { heading populations { key text minimumAge { text } markers scenarios { key text } } }
      contraindications { key text }
      contraindicationsNone { text }
      exclusions { key text limits { kind amount unit per cap { amount unit } interval { amount unit } qualifier condition alternative } }
      linesOfBusiness { code applicable }
      codes { code description billingUnit { amount unit } }
    }
  }
}`,
  },
  {
    name: 'Lookup by HCPCS code as of a date',
    query: `# From a billing code to the guideline version in effect on a date of service.
query VersionInEffectForHcpcsCode($code: String!, $on: Date!) {
  guidelines(hcpcsCode: $code, effectiveOn: $on, first: 5) {
    totalCount
    edges { node { number version(asOf: $on) { id title implementationDate effectiveFrom requirements { key question } } } }
  }
}`,
    variables: { code: 'J9039', on: '2026-03-01' },
  },
  {
    name: 'Search',
    query: `# Full-text search over criteria, indications, warnings and references.
query SearchGuidelineText($text: String!) {
  search(text: $text, first: 10) { totalCount edges { node { section key snippet score version { title implementationDate } } } pageInfo { hasNextPage endCursor } }
}`,
    variables: { text: 'hypersensitivity formulation' },
  },
  {
    name: 'Find a guideline by drug name',
    query: `# What a portal's search box sends as the user types: the start of a brand or generic name.
query FindGuidelineByDrugName($typed: String!) {
  guidelines(drug: $typed, first: 10) { totalCount edges { node { number brandName genericName currentVersion { title linesOfBusiness { code applicable } } } } }
}`,
    variables: { typed: 'blin' },
  },
  {
    name: 'Compare two versions',
    query: `# What changed between consecutive revisions of a guideline (needs an AUDITOR key: put
# {"Authorization": "Bearer <key>"} in Headers below; it is kept across reloads). Empty until a
# guideline has a second revision; compareVersions(from:, to:) compares any two version IDs.
query WhatChangedBetweenRevisions {
  guideline(number: "Evolut_CG_3258") {
    versions { id implementationDate }
    changes { from { implementationDate } to { implementationDate } summary { kind count } changes { kind section subject before after } }
  }
}`,
  },
  {
    name: 'Evaluate a request',
    query: `# Decide a prior-authorization request; every reason cites the exact guideline text.
mutation EvaluatePriorAuthorizationRequest($input: EvaluateRequestInput!) {
  evaluateRequest(input: $input) {
    id outcome summary
    version { title implementationDate }
    reasons { criterionKey role result deciding citedText explanation }
    missingFacts { key question }
    authorizedLimits { kind amount unit billingUnits billingCode }
    notices { kind text }
  }
}`,
    variables: {
      input: {
        hcpcsCode: 'J9039',
        dateOfService: '2026-03-02',
        lineOfBusiness: 'COMMERCIAL',
        facts: [
          { key: 'birthDate', value: '1980-05-17' },
          { key: 'diagnosis', value: 'B_CELL_ALL' },
          { key: 'cd19Status', value: 'POSITIVE' },
          { key: 'treatmentSetting', value: 'RELAPSED_REFRACTORY' },
          { key: 'singleAgent', value: true },
          { key: 'knownHypersensitivity', value: false },
          { key: 'diseaseProgressionOnBlinatumomab', value: false },
          { key: 'requestedDosePerDayMcg', value: 28 },
          { key: 'requestedCyclePhase', value: 'INDUCTION' },
          { key: 'requestedCycles', value: 2 },
          { key: 'priorInductionConsolidationCycles', value: 0 },
        ],
      },
    },
  },
];
