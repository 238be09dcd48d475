import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type * as Core from '@mtl/core';
import type { BackendPool, BackendPqdm } from '@mtl/core/backend';

/** What the conformance suite needs from a backend package (both export the same names). */
export interface BackendUnderTest {
  name: string;
  /** file: URL of the backend's built ESM entry, for child-process scenarios. */
  entryUrl: string;
  pqdm: BackendPqdm<object>;
  Pool: BackendPool<object>;
  delayedInit: typeof Core.delayedInit;
  fromModule: typeof Core.fromModule;
  isException: typeof Core.isException;
  transfer: typeof Core.transfer;
  WorkerCrashedError: typeof Core.WorkerCrashedError;
  TaskTimeoutError: typeof Core.TaskTimeoutError;
  /** Ways a worker of this backend can die while running an item (code run inside the worker). */
  crashes: Record<string, string>;
  /** Something that counts this backend's live workers in this process (compared against a baseline). */
  liveWorkers(): number;
  /** Workers are processes of their own: memory is not shared, and a worker could outlive its parent. */
  separateProcesses: boolean;
  /**
   * Milliseconds a worker takes to start when a launcher (ssh, srun) comes first, added to the time
   * limits that include starting workers. Default 0.
   */
  startMs?: number;
  /** Items of the fault campaign (default 10,000): where a worker takes a second to replace, a smaller one. */
  campaignItems?: number;
}

const run = promisify(execFile);

/**
 * Runs a script in a fresh Node process that imports the backend as `m`; resolves with its stdout
 * (trimmed), its stderr (where the workers' warnings go) and how long it took. Killed after `timeout`
 * ms: a script that hangs fails the test.
 */
export async function script(m: BackendUnderTest, body: string, timeout = 20_000) {
  const source = `import * as m from ${JSON.stringify(m.entryUrl)};\n${body}`;
  const started = Date.now();
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', source], {
    timeout,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { stdout: stdout.trim(), stderr, ms: Date.now() - started };
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
