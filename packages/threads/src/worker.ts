// For code that runs inside a worker: `import { emit } from '@mtl/threads/worker'`.
export { emit } from '@mtl/core/worker';
