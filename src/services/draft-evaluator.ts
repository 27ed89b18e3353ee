import { Piscina } from 'piscina';
import { DomainError } from '../domain/errors.ts';
import type { DraftEvaluation, DraftInput } from './evaluate-draft.ts';
import type { DraftOutcome } from './draft-worker.ts';

export interface DraftEvaluatorOptions {
  /** Hard deadline for one draft: the worker running it is terminated when it passes. */
  readonly deadlineMs?: number;
  readonly threads?: number;
  /** Drafts waiting for a free thread beyond this many are refused with SERVICE_BUSY. */
  readonly maxQueue?: number;
}

export interface DraftEvaluator {
  evaluate(input: DraftInput): Promise<DraftEvaluation>;
  close(): Promise<void>;
}

export const DEFAULT_DRAFT_DEADLINE_MS = 2_000;

/**
 * Drafts are parsed, compiled and decided in worker threads (piscina), never on the event loop: a
 * hostile or merely huge draft cannot stall other requests, and one that runs past its deadline is
 * stopped by terminating its worker (synchronous work cannot be interrupted any other way).
 */
export function createDraftEvaluator(options: DraftEvaluatorOptions = {}): DraftEvaluator {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DRAFT_DEADLINE_MS;
  const threads = options.threads ?? 1;
  const maxQueue = options.maxQueue ?? 8;
  // From the sources, workers load through tsx; from the compiled build, the compiled task itself.
  const entry = import.meta.url.endsWith('.ts') ? './draft-worker-entry.mjs' : './draft-worker-main.js';
  const pool = new Piscina({ filename: new URL(entry, import.meta.url).href, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  // A worker takes about a second to start (loading the TypeScript toolchain and the parser). The
  // deadline is for reading the draft, so each draft waits for a started worker before its clock runs;
  // after a deadline terminated the worker, the next draft waits for the replacement the same way.
  const warmUp = (): Promise<unknown> => pool.run(null).catch(() => undefined);
  let ready = warmUp();
  // Drafts wait here, not in piscina's queue, so each deadline counts the draft's own run time only.
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (running < threads) {
      running += 1;
      return;
    }
    if (waiting.length >= maxQueue) throw new DomainError('SERVICE_BUSY', 'too many drafts are being evaluated: try again shortly');
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return {
    async evaluate(input) {
      await acquire();
      let outcome: DraftOutcome;
      try {
        await ready;
        outcome = (await pool.run(input, { signal: AbortSignal.timeout(deadlineMs) })) as DraftOutcome;
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'AbortError' || name === 'TimeoutError') {
          ready = warmUp();
          throw new DomainError('DEADLINE_EXCEEDED', `the draft was not read within ${deadlineMs} ms and was stopped`, [{ field: 'document', message: 'deadline exceeded' }]);
        }
        throw error;
      } finally {
        release();
      }
      if (!outcome.ok) throw new DomainError(outcome.code, outcome.message, outcome.fields);
      return outcome.value;
    },
    close: () => pool.destroy(),
  };
}
