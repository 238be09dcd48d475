import type { PqdmOptions } from '@mtl/core';
import { defineBackend } from '@mtl/core/backend';
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

export const { pqdm } = threads;
/** A pool of worker threads that serves many maps, runs and tells; see `Pool` in `@mtl/core/backend` for its methods. */
export class Pool<O = unknown> extends threads.Pool<O> {}
