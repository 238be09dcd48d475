import {
  delayedInit,
  fromModule,
  type ItemError,
  isException,
  Pool,
  type PqdmResult,
  pqdm,
  TaskTimeoutError,
  type WorkerSpec,
} from '@mtl/threads';
import { describe, expectTypeOf, it } from 'vitest';

// Type tests: checked by `tsc -p tsconfig.json` (which `npm test` runs), never executed. The types
// follow the worker and the exception mode, and the wrong calls do not compile: an `expectTypeOf` that
// does not hold, or a `@ts-expect-error` line that compiles, fails the type check. @mtl/threads is
// checked as its users see it, from its build.

const double = (x: number) => x * 2;
const sure = { exceptionBehaviour: 'immediate' } as const;

class Model {
  constructor(readonly id: number) {}
  call(x: number): [number, number] {
    return [this.id, x];
  }
}

describe('types', () => {
  it('failures are in the type: errors in place unless immediate', () => {
    expectTypeOf(pqdm([1, 2], (x: number) => String(x))).toEqualTypeOf<PqdmResult<string | ItemError>>();
    expectTypeOf(pqdm([1, 2], async (x: number) => x > 1, 2)).toEqualTypeOf<PqdmResult<boolean | ItemError>>();
    expectTypeOf(pqdm([1], double, { exceptionBehaviour: 'deferred' })).toEqualTypeOf<PqdmResult<number | ItemError>>();
    expectTypeOf(pqdm([1], double, sure)).toEqualTypeOf<PqdmResult<number>>();
    expectTypeOf(pqdm([1], double, 2, { exceptionBehaviour: 'immediate' })).toEqualTypeOf<PqdmResult<number>>();
  });

  it('isException and instanceof narrow the results', async () => {
    const out = await pqdm([1, 2], double);
    expectTypeOf(out.filter(isException)).toEqualTypeOf<ItemError[]>();
    for (const y of out) {
      if (y instanceof TaskTimeoutError) expectTypeOf(y.timeout).toEqualTypeOf<number>();
      else if (isException(y)) expectTypeOf(y.index).toEqualTypeOf<number | undefined>();
      else expectTypeOf(y).toEqualTypeOf<number>();
    }
    // @ts-expect-error: a result may be an error, which has no toFixed
    out.map((r) => r.toFixed(1));
  });

  it('inputs are checked against the worker', () => {
    // @ts-expect-error: the worker takes numbers
    pqdm(['a'], (x: number) => x);
    expectTypeOf(
      pqdm([[1, 2] as [number, number]], (a: number, b: number) => a + b, { argumentType: 'args' }),
    ).toEqualTypeOf<PqdmResult<number | ItemError>>();
    pqdm([[1, 2]], (a: number, b: number) => a + b, { argumentType: 'args' });
    // @ts-expect-error: a string where the worker's first argument is a number
    pqdm([['a', 2] as [string, number]], (a: number, b: number) => a + b, { argumentType: 'args' });
    pqdm([{ a: 1, b: 2 }], ({ a, b }: { a: number; b: number }) => a + b, { argumentType: 'kwargs' });
    // @ts-expect-error: b is missing
    pqdm([{ a: 1 }], ({ a, b }: { a: number; b: number }) => a + b, { argumentType: 'kwargs' });
    const pool = new Pool(double);
    expectTypeOf(pool).toEqualTypeOf<Pool<number, number>>();
    // @ts-expect-error: a Pool<number> takes numbers
    pool.map(['a']);
    // @ts-expect-error: and runs them
    void pool.run('a');
    expectTypeOf(pool.run(1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(pool.map([1], sure)).toEqualTypeOf<PqdmResult<number>>();
  });

  it('delayedInit: classes and factories, sync or async, give their item and output types', () => {
    const W = delayedInit(Model);
    expectTypeOf(W).parameters.toEqualTypeOf<[number]>();
    expectTypeOf(pqdm([1], [W(0), W(1)], sure)).toEqualTypeOf<PqdmResult<[number, number]>>();
    const Add = delayedInit((k: number) => (x: number) => x + k);
    expectTypeOf(pqdm([1], Add(1), sure)).toEqualTypeOf<PqdmResult<number>>();
    const Later = delayedInit(async (prefix: string) => (x: number) => `${prefix}${x}`);
    expectTypeOf(Later).parameters.toEqualTypeOf<[string]>();
    expectTypeOf(pqdm([1], Later('#'), sure)).toEqualTypeOf<PqdmResult<string>>();
    // @ts-expect-error: Model wants a number
    W('zero');
    // @ts-expect-error: Model's call takes numbers
    pqdm(['a'], W(0));
  });

  it('specs named by a string are typed by a type argument, and unknown without one', () => {
    const typed = fromModule<typeof double>(import.meta.url, 'double');
    expectTypeOf(typed).toEqualTypeOf<WorkerSpec<(x: number) => number>>();
    expectTypeOf(pqdm([1], typed, sure)).toEqualTypeOf<PqdmResult<number>>();
    const Typed = delayedInit<typeof Model>(import.meta.url, 'Model');
    expectTypeOf(Typed).parameters.toEqualTypeOf<[number]>();
    expectTypeOf(pqdm([1], Typed(0), sure)).toEqualTypeOf<PqdmResult<[number, number]>>();
    expectTypeOf(pqdm(['anything'], fromModule(import.meta.url, 'double'), sure)).toEqualTypeOf<PqdmResult<unknown>>();
  });

  it('an array of specs with different outputs gives a union', () => {
    const A = delayedInit((id: number) => (x: number) => `${id}:${x}`);
    const B = delayedInit((id: number) => (x: number) => x > id);
    expectTypeOf(pqdm([1], [A(0), B(1)], sure)).toEqualTypeOf<PqdmResult<string | boolean>>();
    expectTypeOf(new Pool([A(0), B(1)])).toEqualTypeOf<Pool<number, string | boolean>>();
  });

  it('Pool is a class to name and test with instanceof; its types can be given', () => {
    const pool: Pool<number, string> = new Pool((x: number) => String(x));
    expectTypeOf(pool instanceof Pool).toEqualTypeOf<boolean>();
    expectTypeOf(pool.close()).toEqualTypeOf<Promise<unknown[]>>();
  });

  it('options may be forwarded as undefined (exactOptionalPropertyTypes)', () => {
    const forward = (desc: string | undefined, total: number | undefined) => pqdm([1], double, { desc, total });
    expectTypeOf(forward).returns.toEqualTypeOf<PqdmResult<number | ItemError>>();
  });
});
