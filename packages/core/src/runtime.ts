// The worker side, for backends' worker entry files: kept apart so that a worker loads no scheduler code.
export { serializeError } from './errors/data.js';
export { cloneProbe, jsonProbe, probeWith, refuseSharedMemory, v8Probe } from './probes.js';
export { onUncaughtError, whenOutputFlushed } from './runtime/leave.js';
export { runWorker } from './runtime/loop.js';
export type { WorkerEndpoint } from './transport.js';
