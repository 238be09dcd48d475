// For authors of a backend (a transport and a worker entry): `import ... from '@mtl/core/backend'`.
// See docs/architecture.md. Users need none of this.
export type { Backend } from './api/backend.js';
export { type BackendPool, type BackendPqdm, defineBackend } from './api/define-backend.js';
export type { Pool as PoolOf } from './api/pool.js';
export { Pool } from './api/pool.js';
export { inheritedExecArgv, workerEntry } from './backend-kit.js';
export type { SendProbe, SerializedError } from './errors/data.js';
export { checkEnvAndExecArgv, checkMilliseconds, checkOneOf, checkOption } from './options/check.js';
export { cloneProbe, jsonProbe, refuseSharedMemory, v8Probe } from './probes.js';
export type * from './protocol.js';
export type { Transport, WorkerEndpoint, WorkerEvents, WorkerExit, WorkerHandle } from './transport.js';
