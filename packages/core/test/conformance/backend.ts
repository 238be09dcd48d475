import type * as Core from '@mtl/core';

/** What the conformance suite needs from a backend package (both export the same names). */
export interface BackendUnderTest {
  name: string;
  /** file: URL of the backend's built ESM entry, for child-process scenarios. */
  entryUrl: string;
  pqdm: <O>(
    inputs: Iterable<unknown> | AsyncIterable<unknown>,
    workers: Core.Workers<O>,
    nJobs?: number | Core.PqdmOptions,
    options?: Core.PqdmOptions,
  ) => Core.PqdmResult<O>;
  Pool: new <O>(workers: Core.Workers<O>, options?: Core.PqdmOptions) => Core.Pool<O>;
  delayedInit: typeof Core.delayedInit;
  fromModule: typeof Core.fromModule;
  isException: typeof Core.isException;
  WorkerCrashedError: typeof Core.WorkerCrashedError;
  TaskTimeoutError: typeof Core.TaskTimeoutError;
  /** Ways a worker of this backend can die while running an item (code run inside the worker). */
  crashes: Record<string, string>;
  /** Something that counts this backend's live workers in this process (compared against a baseline). */
  liveWorkers(): number;
}

export const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).href;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A generator that counts what has been pulled from it. */
export function counted<T>(items: Iterable<T>) {
  const state = { pulled: 0, finished: false };
  function* gen() {
    try {
      for (const item of items) {
        state.pulled++;
        yield item;
      }
    } finally {
      state.finished = true;
    }
  }
  return { state, inputs: gen() };
}

export function* naturals() {
  for (let i = 0; ; i++) yield i;
}
