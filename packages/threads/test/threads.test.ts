import { isException, Pool, pqdm, WorkerCrashedError } from '@mtl/threads';
import { describe, expect, it } from 'vitest';

// Its types are checked with the core's, in packages/core/test/types.test-d.ts.
describe('threads: Pool is a class', () => {
  it('instanceof and extends work (no worker starts before a map)', async () => {
    class Counting extends Pool {
      maps = 0;
    }
    const pool = new Counting((x: number) => x, { nJobs: 2 });
    expect(pool).toBeInstanceOf(Pool);
    expect(pool).toBeInstanceOf(Counting);
    expect(pool.nJobs).toBe(2);
    await pool.close();
  });
});

describe('threads: options of the thread backend', () => {
  it('a worker past its resourceLimits dies and is replaced; only its item fails', async () => {
    const hungry = (x: number) => {
      if (x !== 2) return x;
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(1_000_000).fill(x));
    };
    const out: unknown[] = await pqdm([0, 1, 2, 3, 4], hungry, {
      nJobs: 2,
      batchSize: 1,
      resourceLimits: { maxOldGenerationSizeMb: 32 },
    });
    expect(out.filter((y) => !isException(y))).toEqual([0, 1, 3, 4]);
    expect(out[2]).toBeInstanceOf(WorkerCrashedError);
    expect(((out[2] as Error).cause as { code?: string }).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
  });

  it('env and execArgv reach the worker threads', async () => {
    const out = await pqdm([1], () => [process.env.MTL_THREAD_VAR, process.execArgv], {
      nJobs: 2,
      env: { MTL_THREAD_VAR: 'set' },
      execArgv: ['--no-warnings'],
    });
    expect(out).toEqual([['set', ['--no-warnings']]]);
    // The checks of env and execArgv are core's (unit-tested in options.test.ts): one shows they run here.
    const f = (x: number) => x;
    expect(() => pqdm([1], f, { nJobs: 2, execArgv: 'fast' as never })).toThrow(
      /`execArgv` to be an array of strings, got `"fast"`/,
    );
    expect(() => pqdm([1], f, { nJobs: 2, resourceLimits: 'big' as never })).toThrow(
      /`resourceLimits` to be an object/,
    );
  });
});

describe('threads: the parent process flags', () => {
  it('per-process V8 flags of the parent (--max-old-space-size) do not stop worker threads', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const entry = new URL('../dist/index.js', import.meta.url).href;
    const source = `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(await m.pqdm([1, 2], (x) => x * 2, 2)));`;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--max-old-space-size=300',
      '--input-type=module',
      '-e',
      source,
    ]);
    expect(stdout.trim()).toBe('[2,4]');
  });
});
