import { AsyncLocalStorage } from 'node:async_hooks';

/** What a running task can reach: where its `emit(value)` goes. */
export interface TaskContext {
  emit(value: unknown): void;
}

interface WorkerGlobal {
  tasks: AsyncLocalStorage<TaskContext>;
}

const key = Symbol.for('mtl.worker');
const scope = globalThis as { [key]?: WorkerGlobal };

/**
 * The running task, per async context: one store per thread, shared through a global so that the
 * `emit` of any copy of @mtl/core (a user's ESM import beside the worker entry's bundled copy) finds it.
 */
scope[key] ??= { tasks: new AsyncLocalStorage() };
export const tasks: AsyncLocalStorage<TaskContext> = scope[key].tasks;
