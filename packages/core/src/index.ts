export { type Backend } from './backend.js';
export { TaskTimeoutError, WorkerCrashedError, isException, type SerializedError } from './errors.js';
export { type ExceptionBehaviour, type MapOptions, type PoolOptions } from './options.js';
export { Pool, type PqdmOptions, type Workers, runPqdm } from './pool.js';
export { PqdmResult } from './result.js';
export {
  type Callable,
  type OutputOf,
  type WorkerClass,
  type WorkerFactory,
  type WorkerFunction,
  type WorkerInput,
  type WorkerSpec,
  delayedInit,
  fromModule,
} from './spec.js';
export {
  type ArgumentType,
  type FromWorker,
  type ToWorker,
  type Transport,
  type WorkerEndpoint,
  type WorkerEvents,
  type WorkerExit,
  type WorkerHandle,
  cloneProbe,
} from './transport.js';
