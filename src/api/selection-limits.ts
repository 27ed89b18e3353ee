import type { DocumentNode, SelectionSetNode } from 'graphql';
import { Kind, parse } from 'graphql';

/**
 * Limits on the shape of a query, checked before GraphQL validation runs. graphql-js's
 * OverlappingFieldsCanBeMerged rule compares every pair of fields with the same response name: a
 * field repeated ~1,900 times (which fits under the token limit) costs it up to a second of CPU,
 * for any caller, before any role check. Counting selections is linear, so it runs first.
 */
export interface SelectionLimits {
  /** Selections in one selection set, inline fragments' selections included. */
  readonly maxSelections: number;
  /** Times one response name (or one fragment spread) may appear in one selection set. */
  readonly maxRepeats: number;
  /** Fragment definitions in one document. */
  readonly maxFragments: number;
}

export const DEFAULT_SELECTION_LIMITS: SelectionLimits = { maxSelections: 200, maxRepeats: 3, maxFragments: 30 };

/** Deeper than any request of this API (a fact value is a scalar; evidence items are flat; a FHIR hook request nests about 12). */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply a JSON text nests arrays and objects, read in one pass without parsing (and without
 * recursion): a body nested thousands of levels deep is refused before anything walks it.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 92) index += 1; // backslash: skip the escaped character
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 123 || code === 91) deepest = Math.max(deepest, (depth += 1));
    else if (code === 125 || code === 93) depth -= 1;
  }
  return deepest;
}

/** What is wrong with the query's shape, or null (also null when it does not parse: the parser's error is reported as usual). */
export function selectionProblem(query: string, limits: SelectionLimits, maxTokens: number): string | null {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true, maxTokens });
  } catch {
    return null;
  }
  // graphql-js executes a subscription against a schema that has none, and fails inside: refused here.
  if (document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription')) {
    return 'this API has no subscriptions';
  }
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).length;
  if (fragments > limits.maxFragments) return `the document defines ${fragments} fragments; at most ${limits.maxFragments} are allowed`;
  const pending: SelectionSetNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) pending.push(definition.selectionSet);
  }
  while (pending.length > 0) {
    const set = pending.pop() as SelectionSetNode;
    const counts = new Map<string, number>();
    let selections = 0;
    // Inline fragments' fields merge into the set that holds them: counted with it.
    const flat = [...set.selections];
    while (flat.length > 0) {
      const selection = flat.pop() as (typeof flat)[number];
      selections += 1;
      if (selections > limits.maxSelections) return `a selection set has more than ${limits.maxSelections} selections`;
      let name: string;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        flat.push(...selection.selectionSet.selections);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) name = `...${selection.name.value}`;
      else {
        name = selection.alias?.value ?? selection.name.value;
        if (selection.selectionSet) pending.push(selection.selectionSet);
      }
      const count = (counts.get(name) ?? 0) + 1;
      if (count > limits.maxRepeats) return `"${name.slice(0, 60)}" is selected more than ${limits.maxRepeats} times in one selection set`;
      counts.set(name, count);
    }
  }
  return null;
}
