import type { DraftInput } from './evaluate-draft.ts';
import type { DraftOutcome } from './draft-worker.ts';
import { runDraftTask } from './draft-worker.ts';

/** A draft-evaluation worker's task. `null` is the warm-up task: it answers once the worker has loaded everything a draft needs. */
export default function run(input: DraftInput | null): DraftOutcome | 'ready' {
  return input === null ? 'ready' : runDraftTask(input);
}
