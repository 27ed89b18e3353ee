/**
 * The citable key of a population line: POP-<section> for a section's first population (the key
 * every earlier version used), POP-<section>.<n> for the populations after it.
 */
export function populationKey(sectionOrdinal: number, populationOrdinal: number): string {
  return populationOrdinal === 1 ? `POP-${sectionOrdinal}` : `POP-${sectionOrdinal}.${populationOrdinal}`;
}
