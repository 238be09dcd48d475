export type { Backend } from './backend.js';
export { isException, type SerializedError, TaskTimeoutError, WorkerCrashedError } from './errors.js';
export {
  checkEnvAndExecArgv,
  checkOneOf,
  checkOption,
  type ExceptionBehaviour,
  type MapOptions,
  type PoolOptions,
} from './options.js';
export { Pool, type PqdmOptions, runPqdm, type Workers } from './pool.js';
export { PqdmResult } from './result.js';
export {
  type Callable,
  delayedInit,
  fromModule,
  type OutputOf,
  type WorkerClass,
  type WorkerFactory,
  type WorkerFunction,
  type WorkerInput,
  type WorkerSpec,
} from './spec.js';
export {
  type ArgumentType,
  cloneProbe,
  type FromWorker,
  inheritedExecArgv,
  jsonProbe,
  type ToWorker,
  type Transport,
  type WorkerEndpoint,
  type WorkerEvents,
  type WorkerExit,
  type WorkerHandle,
  workerEntry,
} from './transport.js';
