// The worker side, for backends' worker entry files: kept apart so that a worker loads no scheduler code.
export { runWorker } from './runtime/loop.js';
export { cloneProbe, jsonProbe, type WorkerEndpoint } from './transport.js';
