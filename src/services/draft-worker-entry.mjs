// Entry of a draft-evaluation worker thread when the project runs from its TypeScript sources
// (npm start, tests). A worker thread does not inherit the parent's module hooks in every host
// (vitest, plain node), so it registers tsx itself before loading the task. The compiled build
// (npm run build) starts workers on dist/services/draft-worker-main.js directly.
import { register } from 'tsx/esm/api';

register();
const { default: run } = await import('./draft-worker-main.ts');

export default run;
