import type { GuidelineDocument } from '../../src/domain/document.ts';

/**
 * What a document says, without where it says it: every span and line number removed. Two layouts
 * of the same content must give equal semantic trees.
 */
export function semanticTree(document: GuidelineDocument | null): unknown {
  return JSON.parse(JSON.stringify(document, (key, value: unknown) => (key === 'span' || key.endsWith('Span') || key === 'startLine' || key === 'endLine' ? undefined : value)));
}

/** The first path at which two JSON values differ, for a failure message that points at the difference. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 160)} ≠ ${JSON.stringify(b)?.slice(0, 160)}`;
}
