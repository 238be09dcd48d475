// The public API, as users of @mtl/threads and @mtl/processes see it. Backend authors: @mtl/core/backend.
export type { PqdmOptions, RunOptions } from './api/pool.js';
export { type ItemError, isException, TaskTimeoutError, WorkerCrashedError } from './errors/classes.js';
export type { CheckpointOptions } from './options/checkpoint.js';
export type { Labeller, Limits } from './options/limits.js';
export type { ExceptionBehaviour, MapOptions, ResultEvent } from './options/map.js';
export type { PoolOptions } from './options/pool.js';
export type { ProgressOptions } from './options/progress.js';
export type { RateLimit, RateLimitOptions } from './options/rate-limit.js';
export type { Retry, RetryOptions } from './options/retry.js';
export { type WriteOptions, write } from './progress/write.js';
export type { ArgumentType } from './protocol.js';
export { PqdmResult } from './result.js';
export {
  type Callable,
  delayedInit,
  fromModule,
  type InitSpec,
  type UntypedTarget,
  type WorkerClass,
  type WorkerFactory,
  type WorkerFunction,
  type WorkerInput,
  type WorkerSpec,
} from './spec.js';
export { transfer } from './transfer.js';
export type {
  ArgsOf,
  CallOf,
  InputOf,
  ItemOf,
  ModeOf,
  OutputOf,
  TaskFunction,
  UntypedTask,
  Worker,
  Workers,
  Yielded,
} from './types.js';
