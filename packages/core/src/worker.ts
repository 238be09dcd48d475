// For code that runs inside a worker: `import { emit } from '@mtl/core/worker'` (or the backend's /worker).

const key = Symbol.for('mtl.worker');

interface WorkerGlobal {
  tasks: { getStore(): { emit(value: unknown): void } | undefined };
}

/**
 * Sends `value` from the running task to the map's `onMessage(value, { index, workerIndex })`, which
 * receives a task's messages in the order it sent them, before its result. For progress inside long
 * items. Outside a task, or in a map without `onMessage`, it does nothing. A function sent as source
 * text can call `emit` without importing it.
 *
 * @example
 * import { emit } from '@mtl/threads/worker';
 * export async function convert(file: string) {
 *   for (let done = 0; done < 100; done += 10) { await step(file); emit(done); }
 *   return 'ok';
 * }
 */
export function emit(value: unknown): void {
  (globalThis as { [key]?: WorkerGlobal })[key]?.tasks.getStore()?.emit(value);
}

export { transfer } from './transfer.js';
