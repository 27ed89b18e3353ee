import { parse as parseYaml } from 'yaml';
import type { CompiledRuleSet } from '../rules/compile-rule-set.ts';
import { compileRuleSet } from '../rules/compile-rule-set.ts';
import { validateRuleSetSource } from '../rules/rule-set-schema.ts';
import type { RuleSetSource } from '../rules/rule-set.ts';
import type { Client } from '../store/database.ts';
import type { StoredVersion } from '../store/version-reader.ts';
import { readVersions } from '../store/version-reader.ts';

export interface VersionEntry extends StoredVersion {
  readonly ruleSetSource: RuleSetSource | null;
  readonly compiledRuleSet: CompiledRuleSet | null;
  /** Why a stored rule set is not used (it no longer compiles); null otherwise. */
  readonly ruleSetProblem: string | null;
}

/**
 * Published versions never change, so an assembled version (its document tree and its compiled
 * rule set) is cached by id for the life of the process (versions still waiting for their rule set
 * are not cached). Bounded: the least recently used entries
 * go first. Misses are loaded in one batch (a fixed number of queries whatever the batch size).
 */
export class VersionCatalog {
  readonly #entries = new Map<string, VersionEntry>();
  readonly #lookups = new Map<string, Promise<unknown>>();
  #epoch = 0;

  constructor(
    private readonly client: Client,
    private readonly capacity = 1000,
    /** True when something clears the cache on every change of the catalog (the server's generation watcher). */
    private readonly cachesIncomplete = false,
  ) {}

  async getMany(ids: readonly string[]): Promise<(VersionEntry | null)[]> {
    // A load that started before a clear() may have read the old catalog: it is used, not kept.
    const epoch = this.#epoch;
    // What the cache holds now is taken now: a clear() while the misses load must not lose it.
    const fresh = new Map<string, VersionEntry>();
    for (const id of ids) {
      const held = this.#entries.get(id);
      if (held) fresh.set(id, held);
    }
    const missing = [...new Set(ids.filter((id) => !fresh.has(id)))];
    if (missing.length > 0) {
      const loaded = await readVersions(this.client, missing);
      for (const version of loaded.values()) {
        const entry = assemble(version);
        // A version without a rule set can still get one (attached once, later); the server clears
        // this cache when the catalog's generation moves, so such versions are cached too. Without
        // a generation watcher (CLIs, tests), only complete entries are kept.
        if ((entry.ruleSet || this.cachesIncomplete) && epoch === this.#epoch) this.#remember(entry);
        else fresh.set(entry.id, entry);
      }
    }
    return ids.map((id) => {
      const entry = fresh.get(id) ?? this.#entries.get(id);
      if (!entry) return null;
      if (!this.#entries.has(id)) return entry;
      this.#entries.delete(id);
      this.#entries.set(id, entry);
      return entry;
    });
  }

  async get(id: string): Promise<VersionEntry | null> {
    return (await this.getMany([id]))[0] ?? null;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Forgets every cached version (tests measure cold loads with it). */
  /**
   * A lookup on the catalog (which guideline a code names, a guideline's version summaries),
   * remembered until the next clear() when the owner clears on every change of the catalog;
   * otherwise always loaded. Failures are not remembered.
   */
  async lookup<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.cachesIncomplete) return load();
    const known = this.#lookups.get(key);
    if (known) return known as Promise<T>;
    const loading = load();
    this.#rememberLookup(key, loading);
    return loading;
  }

  /**
   * Lookups of many keys at once (a page of guidelines' version summaries): the remembered ones
   * are taken, the rest loaded in one call (`load` answers in the order of the keys it is given)
   * and remembered each, under the same rule as `lookup`.
   */
  async lookupMany<T>(prefix: string, keys: readonly string[], load: (keys: readonly string[]) => Promise<readonly T[]>): Promise<T[]> {
    if (!this.cachesIncomplete) return [...(await load(keys))];
    const answers = new Map<string, Promise<unknown>>();
    const missing: string[] = [];
    for (const key of keys) {
      const known = this.#lookups.get(prefix + key);
      if (known) answers.set(key, known);
      else if (!answers.has(key)) missing.push(key);
    }
    if (missing.length > 0) {
      const loading = load(missing);
      missing.forEach((key, index) => {
        const one = loading.then((values) => values[index] as T);
        answers.set(key, one);
        this.#rememberLookup(prefix + key, one);
      });
    }
    return Promise.all(keys.map((key) => answers.get(key) as Promise<T>));
  }

  #rememberLookup(key: string, loading: Promise<unknown>): void {
    // Lookups are small (a guideline's id, its version summaries, a page of ids): many fit.
    if (this.#lookups.size >= this.capacity * 20) this.#lookups.delete(this.#lookups.keys().next().value as string);
    const lookups = this.#lookups;
    lookups.set(key, loading);
    loading.catch(() => {
      if (lookups.get(key) === loading) lookups.delete(key);
    });
  }

  clear(): void {
    this.#epoch += 1;
    this.#lookups.clear();
    this.#entries.clear();
  }

  #remember(entry: VersionEntry): void {
    this.#entries.set(entry.id, entry);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

function assemble(version: StoredVersion): VersionEntry {
  if (!version.ruleSet) return { ...version, ruleSetSource: null, compiledRuleSet: null, ruleSetProblem: null };
  // The rule set was compiled against this very version at ingestion. It can fail now only when
  // the rules language became stricter since (a per-m2 limit authorized without the member's body
  // surface area, a unit that is not UCUM): the version is then not decided at all, with the
  // reason, rather than decided by a reading the current compiler refuses.
  const { source, problems: schemaProblems } = validateRuleSetSource(parseYaml(version.ruleSet.source));
  const compiled = source ? compileRuleSet(source, version.document) : null;
  if (!source || !compiled?.ruleSet) {
    const codes = source ? [...new Set(compiled?.problems.map((problem) => problem.code) ?? [])] : ['RULES_SCHEMA'];
    const detail = source ? compiled?.problems[0]?.message : schemaProblems[0];
    return {
      ...version, ruleSetSource: source, compiledRuleSet: null,
      ruleSetProblem: `cannot be decided: its rule set ${version.ruleSet.name} (${version.ruleSet.fileName}) no longer compiles under the current rules language (${codes.join(', ')}): ${detail ?? 'see npm run rules:check'}; it must be reviewed again`,
    };
  }
  return { ...version, ruleSetSource: source, compiledRuleSet: compiled.ruleSet, ruleSetProblem: null };
}
