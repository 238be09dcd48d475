// For code that runs inside a worker: `import { emit } from '@mtl/remote/worker'`.
export { emit } from '@mtl/core/worker';
