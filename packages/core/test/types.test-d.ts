// Type tests: checked by `tsc -p tsconfig.json` (which `npm test` runs), never executed. An
// `expectTypeOf` that does not hold, or a `@ts-expect-error` line that compiles, fails the type check.
// The core's public types from its source, then @mtl/threads as its users see it (from its build).
import {
  Pool as ThreadPool,
  type PqdmResult as ThreadPqdmResult,
  delayedInit as threadDelayedInit,
  pqdm as threadPqdm,
} from '@mtl/threads';
import { describe, expectTypeOf, it } from 'vitest';
import type { BackendPool, BackendPqdm } from '../src/api/define-backend.js';
import type { Pool } from '../src/api/pool.js';
import {
  delayedInit,
  fromModule,
  type MapOptions,
  type OutputOf,
  type PqdmResult,
  type WorkerSpec,
} from '../src/index.js';

/** A backend's own options, as a backend package declares them. */
interface TestOptions {
  env?: Record<string, string>;
}
declare const pqdm: BackendPqdm<TestOptions>;
declare const TestPool: BackendPool<TestOptions>;

const url = import.meta.url;
const double = (x: number) => x * 2;

class Model {
  constructor(
    readonly id: number,
    readonly label: string,
  ) {}
  call(x: number): [number, number] {
    return [this.id, x];
  }
}

describe('OutputOf: the result type of a worker', () => {
  it('is the return type of a function, awaited', () => {
    expectTypeOf<OutputOf<(x: number) => string>>().toEqualTypeOf<string>();
    expectTypeOf<OutputOf<(x: number) => Promise<boolean>>>().toEqualTypeOf<boolean>();
    expectTypeOf<OutputOf<() => PromiseLike<Date>>>().toEqualTypeOf<Date>();
    expectTypeOf<OutputOf<typeof double>>().toEqualTypeOf<number>();
  });

  it('is the output of a spec, from fromModule or delayedInit', () => {
    expectTypeOf<OutputOf<WorkerSpec<[number, string]>>>().toEqualTypeOf<[number, string]>();
    expectTypeOf<OutputOf<ReturnType<typeof fromModule<typeof double>>>>().toEqualTypeOf<number>();
    const spec = delayedInit(Model)(0, 'a');
    expectTypeOf<OutputOf<typeof spec>>().toEqualTypeOf<[number, number]>();
  });

  it('is unknown for anything else', () => {
    expectTypeOf<OutputOf<42>>().toEqualTypeOf<unknown>();
  });
});

describe('fromModule', () => {
  it("gives a spec of the function's awaited result; by export name, of unknown", () => {
    expectTypeOf(fromModule(url, double)).toEqualTypeOf<WorkerSpec<number>>();
    expectTypeOf(fromModule(new URL('./work.js', url), async (s: string) => s.length)).toEqualTypeOf<
      WorkerSpec<number>
    >();
    expectTypeOf(fromModule(url, 'double')).toEqualTypeOf<WorkerSpec<unknown>>();
  });
});

describe('delayedInit', () => {
  it("with a class: the spec maker takes the constructor's arguments, and the output is call's", () => {
    const W = delayedInit(Model);
    expectTypeOf(W).parameters.toEqualTypeOf<[number, string]>();
    expectTypeOf(W).returns.toEqualTypeOf<WorkerSpec<[number, number]>>();
    // @ts-expect-error: the constructor takes (number, string)
    W('0', 'a');
    // @ts-expect-error: and both of them
    W(0);
  });

  it('with a class whose call is async: the output is awaited', () => {
    class Fetcher {
      async call(url: string) {
        return url.length;
      }
    }
    expectTypeOf(delayedInit(Fetcher)).toEqualTypeOf<() => WorkerSpec<number>>();
  });

  it("with a factory: the factory's arguments; it may return a function or an object with call, or a promise of one", () => {
    const scaler = (factor: number, unit: string) => (x: number) => `${x * factor} ${unit}`;
    expectTypeOf(delayedInit(scaler)).toEqualTypeOf<(factor: number, unit: string) => WorkerSpec<string>>();
    const connect = async (_dsn: string) => ({ call: (query: string) => query.length > 0 });
    expectTypeOf(delayedInit(connect)).toEqualTypeOf<(_dsn: string) => WorkerSpec<boolean>>();
  });

  it('from a module (url, Class or factory): the same types; by export name, unknown arguments and output', () => {
    expectTypeOf(delayedInit(url, Model)).toEqualTypeOf<(id: number, label: string) => WorkerSpec<[number, number]>>();
    expectTypeOf(delayedInit(new URL('./model.js', url), (size: number) => (x: string) => x.slice(size))).toEqualTypeOf<
      (size: number) => WorkerSpec<string>
    >();
    expectTypeOf(delayedInit(url, 'Model')).toEqualTypeOf<(...args: unknown[]) => WorkerSpec<unknown>>();
  });

  it('takes the arguments and the output as type arguments, as for an export given by name', () => {
    interface Row {
      id: number;
    }
    expectTypeOf(delayedInit<[string, number], Row>(url, 'Reader')).toEqualTypeOf<
      (...args: [string, number]) => WorkerSpec<Row>
    >();
    expectTypeOf(delayedInit<[number, string], [number, number]>(Model)).toEqualTypeOf<
      (...args: [number, string]) => WorkerSpec<[number, number]>
    >();
  });

  it('refuses a class without call(item)', () => {
    class NoCall {
      constructor(readonly id: number) {}
    }
    // @ts-expect-error: no call method
    delayedInit(NoCall);
    // @ts-expect-error: from a module, neither
    delayedInit(url, NoCall);
  });
});

describe('pqdm', () => {
  it('infers the result type from the worker, whichever way nJobs and options are given', () => {
    expectTypeOf(pqdm([1, 2], (x: number) => String(x))).toEqualTypeOf<PqdmResult<string>>();
    expectTypeOf(pqdm([1, 2], (x: number) => String(x), 4)).toEqualTypeOf<PqdmResult<string>>();
    expectTypeOf(pqdm([1, 2], double, { nJobs: 4, ordered: false, env: { A: '1' } })).toEqualTypeOf<
      PqdmResult<number>
    >();
    expectTypeOf(pqdm([1, 2], double, 4, { exceptionBehaviour: 'deferred' })).toEqualTypeOf<PqdmResult<number>>();
    expectTypeOf(pqdm([1, 2], async (x: number) => x > 1)).toEqualTypeOf<PqdmResult<boolean>>();
  });

  it('takes an array of specs, and any iterable or async iterable input', async () => {
    const W = delayedInit(Model);
    expectTypeOf(pqdm(new Set([1]), [W(0, 'a'), W(1, 'b')])).toEqualTypeOf<PqdmResult<[number, number]>>();
    async function* lines() {
      yield 'a';
    }
    expectTypeOf(pqdm(lines(), fromModule(url, double), 2)).toEqualTypeOf<PqdmResult<number>>();
  });

  it('refuses a bad nJobs, an unknown option and a bad option value', () => {
    // @ts-expect-error: nJobs is a number
    pqdm([1], double, '4');
    // @ts-expect-error: the British spelling
    pqdm([1], double, { exceptionBehavior: 'ignore' });
    // @ts-expect-error: not an exception behaviour
    pqdm([1], double, { exceptionBehaviour: 'loud' });
    // @ts-expect-error: options come once
    pqdm([1], double, 2, 4);
  });

  it('gives a result that is awaitable, async-iterable, sized and disposable', async () => {
    const result = pqdm([1, 2], (x: number) => String(x));
    expectTypeOf(await result).toEqualTypeOf<string[]>();
    for await (const y of result) expectTypeOf(y).toEqualTypeOf<string>();
    expectTypeOf(result.length).toEqualTypeOf<number | undefined>();
    expectTypeOf(result.close()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(result).toMatchTypeOf<AsyncDisposable>();
    expectTypeOf(result.catch(() => 0)).toEqualTypeOf<Promise<string[] | number>>();
  });
});

describe('Pool', () => {
  it('new Pool<O> is a Pool<O>; its map gives PqdmResult<O>; O is inferred from the worker', () => {
    const pool = new TestPool<number>(double, { nJobs: 2, closeTimeout: 1000, ordered: false, env: {} });
    expectTypeOf(pool).toEqualTypeOf<Pool<number, TestOptions>>();
    expectTypeOf(pool.map([1, 2])).toEqualTypeOf<PqdmResult<number>>();
    expectTypeOf(pool.map).parameter(1).toEqualTypeOf<MapOptions | undefined>();
    expectTypeOf(pool.nJobs).toEqualTypeOf<number>();
    expectTypeOf(pool.close()).toEqualTypeOf<Promise<unknown[]>>();
    expectTypeOf(new TestPool((s: string) => s.length)).toEqualTypeOf<Pool<number, TestOptions>>();
    expectTypeOf(new TestPool(delayedInit(Model)(0, 'a'))).toEqualTypeOf<Pool<[number, number], TestOptions>>();
  });

  it('pool.map takes only map options', () => {
    const pool = new TestPool(double);
    // @ts-expect-error: nJobs belongs to the Pool
    pool.map([1], { nJobs: 2 });
    // @ts-expect-error: and so do the backend's options
    pool.map([1], { env: {} });
  });
});

describe('@mtl/threads', () => {
  it('Pool is a class: a type, a constructor, instanceof narrows to it, and it can be extended', () => {
    const pool: ThreadPool<number> = new ThreadPool<number>(double, { nJobs: 2, resourceLimits: {} });
    expectTypeOf(pool.map([1])).toEqualTypeOf<ThreadPqdmResult<number>>();
    const value: unknown = pool;
    if (value instanceof ThreadPool) expectTypeOf(value.map).returns.toMatchTypeOf<ThreadPqdmResult<unknown>>();
    class Counting extends ThreadPool<number> {
      maps = 0;
    }
    expectTypeOf(new Counting(double)).toMatchTypeOf<ThreadPool<number>>();
  });

  it('pqdm and delayedInit have the same types as the core', () => {
    expectTypeOf(threadPqdm([1, 2], (x: number) => String(x))).toEqualTypeOf<ThreadPqdmResult<string>>();
    expectTypeOf(threadPqdm([1], threadDelayedInit(Model)(0, 'a'), 2)).toEqualTypeOf<
      ThreadPqdmResult<[number, number]>
    >();
    // @ts-expect-error: cwd is an option of @mtl/processes, not of threads
    threadPqdm([1], double, { cwd: '/' });
  });
});
