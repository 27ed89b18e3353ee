import type { Criterion, GuidelineDocument } from './document.ts';

/** Every criterion of a document, children included, in document order. */
export function allCriteria(document: GuidelineDocument): Criterion[] {
  const flat: Criterion[] = [];
  const walk = (items: readonly Criterion[]): void => {
    for (const item of items) {
      flat.push(item);
      walk(item.children);
    }
  };
  walk(document.continuation?.conditions ?? []);
  document.indications.forEach((section) => section.populations.forEach((population) => walk(population.scenarios)));
  walk(document.contraindications);
  walk(document.boxedWarnings);
  walk(document.warnings);
  walk(document.exclusions);
  return flat.sort((a, b) => a.span.startLine - b.span.startLine);
}
