import type { Database } from '../store/database.ts';
import { catalogCounts } from '../store/guideline-reader.ts';

type Listener = () => void;
const inProcess = new Set<Listener>();

/** Told by ingestion after a commit in this process: caches built on the catalog are stale at once. */
export function catalogChanged(): void {
  for (const listener of inProcess) listener();
}

/**
 * Which state of the catalog answers are computed from. Published versions never change and a
 * rule set is attached once, so the catalog only grows: the number of versions and of rule sets
 * together name its state. Ingestion in this process reports its commits at once; ingestion in
 * another process (npm run ingest against the same database) is seen by polling, within `pollMs`.
 */
export class CatalogGeneration {
  #value = 0;
  #counts = '';
  #timer: NodeJS.Timeout | null = null;
  readonly #listeners = new Set<Listener>();
  readonly #onLocalChange: Listener = () => this.#advance();

  constructor(private readonly database: Database, private readonly pollMs = 500) {}

  /** A number that changes whenever the catalog may have changed. */
  get value(): number {
    return this.#value;
  }

  onChange(listener: Listener): void {
    this.#listeners.add(listener);
  }

  async start(): Promise<void> {
    this.#counts = await this.#read();
    inProcess.add(this.#onLocalChange);
    this.#timer = setInterval(() => void this.poll(), this.pollMs);
    this.#timer.unref();
  }

  /** Reads the counts once; advances the generation when they moved. */
  async poll(): Promise<void> {
    try {
      const counts = await this.#read();
      if (counts !== this.#counts) {
        this.#counts = counts;
        this.#advance();
      }
    } catch {
      // A database that does not answer now is reported by /readyz; cached answers stay as they were.
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    inProcess.delete(this.#onLocalChange);
  }

  #advance(): void {
    this.#value += 1;
    for (const listener of this.#listeners) listener();
  }

  async #read(): Promise<string> {
    const { versions, ruleSets } = await catalogCounts(this.database);
    return `${versions}/${ruleSets}`;
  }
}
