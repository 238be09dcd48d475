import type { PqdmOptions } from '@mtl/core';
import { defineBackend, type PoolOf } from '@mtl/core/backend';
import { type ThreadOptions, threadOptionNames, threadTransport } from './transport.js';

export * from '@mtl/core';
export type { ThreadOptions } from './transport.js';

/** Options of `pqdm` and `new Pool` on threads: a map's, the pool's, and the thread options. */
export type ThreadPqdmOptions = PqdmOptions<ThreadOptions>;

/** mtl on worker threads. */
const threads = defineBackend<ThreadOptions>({
  name: 'threads',
  optionNames: threadOptionNames,
  createTransport: threadTransport,
});

export const pqdm = threads.pqdm;
export const Pool = threads.Pool;
/** A pool of worker threads: `Pool<I, O>` takes items `I` and returns `O`. */
export type Pool<I = unknown, O = unknown> = PoolOf<I, O, ThreadOptions>;
