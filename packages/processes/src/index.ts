import type { PqdmOptions } from '@mtl/core';
import { defineBackend } from '@mtl/core/backend';
import { type ProcessOptions, processOptionNames, processTransport } from './transport.js';

export * from '@mtl/core';
export type { ProcessOptions } from './transport.js';

/** Options of `pqdm` and `new Pool` on processes: a map's, the pool's, and the process options. */
export type ProcessPqdmOptions = PqdmOptions<ProcessOptions>;

/** mtl on worker processes (child_process). */
const processes = defineBackend<ProcessOptions>({
  name: 'processes',
  optionNames: processOptionNames,
  createTransport: processTransport,
});

export const { pqdm } = processes;
/** A pool of worker processes that serves many maps, runs and tells; see `Pool` in `@mtl/core/backend` for its methods. */
export class Pool<O = unknown> extends processes.Pool<O> {}
