// Entry of a draft-evaluation worker thread. The project runs TypeScript through tsx; a worker
// thread does not inherit the parent's module hooks in every host (vitest, plain node), so it
// registers tsx itself before loading the task.
import { register } from 'tsx/esm/api';

register();
const { runDraftTask } = await import('./draft-worker.ts');

/** `null` is the warm-up task: it answers once the worker has loaded everything a draft needs. */
export default function run(input) {
  return input === null ? 'ready' : runDraftTask(input);
}
