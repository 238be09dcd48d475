import type { PqdmOptions } from '@mtl/core';
import { defineBackend, type PoolOf } from '@mtl/core/backend';
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

export const pqdm = processes.pqdm;
export const Pool = processes.Pool;
/** A pool of worker processes: `Pool<I, O>` takes items `I` and returns `O`. */
export type Pool<I = unknown, O = unknown> = PoolOf<I, O, ProcessOptions>;
