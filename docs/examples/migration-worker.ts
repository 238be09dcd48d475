// The worker module of migration.ts. It defines workers and exports their specs; nothing else runs
// at its top level, because every worker imports it.
import { readFile } from 'node:fs/promises';
import { delayedInit } from '@mtl/threads';

/** mtasklite's `@delayed_init` class: built once in each worker, with that worker's args. */
export class Model {
  constructor(readonly gpuId: number) {}

  call(x: number): string {
    return `gpu ${this.gpuId}: ${x * x}`;
  }
}
export const ModelWorker = delayedInit(import.meta.url, Model);

/** pqdm's `initializer` + `initargs`: a factory sets up the worker's state and returns the per-item function. */
export async function openTable(path: string) {
  const table = new Map(Object.entries(JSON.parse(await readFile(path, 'utf8')) as Record<string, string>));
  return (key: string) => table.get(key) ?? 'unknown';
}
export const Lookup = delayedInit(import.meta.url, openTable);
