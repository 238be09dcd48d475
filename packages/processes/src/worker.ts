// For code that runs inside a worker: `import { emit } from '@mtl/processes/worker'`.
export { emit } from '@mtl/core/worker';
