import { Kind, parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';

/**
 * Root fields whose answers are a function of the catalog alone: published versions never change,
 * so an answer is reusable until the catalog's generation moves (or the day changes, for
 * `currentVersion`). Everything that reads determinations (`node`, `determination`) and every
 * mutation always runs.
 */
const CATALOG_FIELDS = new Set(['guideline', 'guidelines', 'search', 'compareVersions', '__typename', '__schema', '__type']);

export interface CachedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The root field it answered (metrics label). */
  readonly operation: string;
}

/** A set that forgets its oldest members past `capacity`. */
export class BoundedSet {
  readonly #members = new Set<string>();
  constructor(private readonly capacity: number) {}
  has(member: string): boolean {
    return this.#members.has(member);
  }
  add(member: string): void {
    // Bounded in bytes too: at most capacity × 16 KB of request bodies are remembered.
    if (this.#members.has(member) || member.length > 16_384) return;
    if (this.#members.size >= this.capacity) this.#members.delete(this.#members.values().next().value as string);
    this.#members.add(member);
  }
}

/** Whether a query document reads the catalog only (memoized by the query text; unparsable text is not cached). */
export class CacheableQueries {
  readonly #known = new Map<string, boolean>();
  constructor(private readonly capacity = 2000) {}

  isCacheable(query: string, operationName: string | null): boolean {
    const key = `${operationName ?? ''}\u0000${query}`;
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    let answer = false;
    try {
      const document = parse(query, { maxTokens: 5000 });
      const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
      const operation = operationName ? operations.find((candidate) => candidate.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
      // Fragments spread at the root could name any field: such documents simply run.
      answer = operation !== undefined && operation.operation === 'query' && operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && CATALOG_FIELDS.has(selection.name.value));
    } catch {
      answer = false;
    }
    if (this.#known.size >= this.capacity) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(key, answer);
    return answer;
  }
}

/**
 * Whole responses by key (role, generation, day and the request exactly as sent), least recently
 * used first out, bounded by entries and by bytes.
 */
export class ResponseCache {
  readonly #entries = new Map<string, CachedResponse>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 5000, private readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string): CachedResponse | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    const size = key.length + entry.body.length;
    if (size > this.maxBytes / 8) return;
    const previous = this.#entries.get(key);
    if (previous) {
      this.#bytes -= key.length + previous.body.length;
      this.#entries.delete(key);
    }
    this.#entries.set(key, entry);
    this.#bytes += size;
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, CachedResponse];
      this.#entries.delete(oldestKey);
      this.#bytes -= oldestKey.length + oldest.body.length;
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  get size(): number {
    return this.#entries.size;
  }
}
