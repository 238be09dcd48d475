import { serialize } from 'node:v8';
import type { SendProbe } from './errors/data.js';

/** A probe: why `encode` cannot serialize a value, or undefined when it can. */
export const probeWith =
  (encode: (value: unknown) => unknown): SendProbe =>
  (value) => {
    try {
      encode(value);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };

/** Structured clone, the serialization of worker threads. */
export const cloneProbe = probeWith(structuredClone);

/**
 * The V8 serializer, that of `serialization: 'advanced'` IPC and of sockets: unlike a thread's structured
 * clone, it refuses what cannot leave the process (a SharedArrayBuffer, a MessagePort).
 */
export const v8Probe = probeWith(serialize);

/** JSON, the serialization of `serialization: 'json'` IPC. */
export const jsonProbe = probeWith(JSON.stringify);

// Captured at load: a remote worker frames its results with this after user code, which may replace globals, has run.
const SharedBuffer = SharedArrayBuffer;
const isView = ArrayBuffer.isView;

/**
 * Throws when `value` is or holds (a few levels deep) shared memory, which a worker process cannot
 * share: V8's serializer copies a typed array over a SharedArrayBuffer without a word, and JSON makes
 * it a plain object, so the memory would silently stop being shared.
 */
export function refuseSharedMemory(value: unknown, depth = 0): void {
  if (value instanceof SharedBuffer || (isView(value) && value.buffer instanceof SharedBuffer)) {
    throw new TypeError(
      'shared memory (a SharedArrayBuffer) cannot be shared with a worker process: each would get a copy. Share memory with @mtl/threads, or fold the results in the caller.',
    );
  }
  if (depth > 4 || typeof value !== 'object' || value === null || isView(value)) return;
  const values = value instanceof Map ? [...value.values()] : Array.isArray(value) ? value : Object.values(value);
  for (const inner of values) refuseSharedMemory(inner, depth + 1);
}
