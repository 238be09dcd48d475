import { delayedInit, fromModule, type PqdmResult, pqdm } from '@mtl/threads';
import { describe, expectTypeOf, it } from 'vitest';

// Checked by `tsc` (npm test runs it): the result type follows the worker's return type.
describe('types', () => {
  it('infers the result type from the worker', async () => {
    const strings = pqdm([1, 2], (x: number) => String(x));
    expectTypeOf(strings).toEqualTypeOf<PqdmResult<string>>();
    await strings.close();
    const awaited = pqdm([1, 2], async (x: number) => x > 1);
    expectTypeOf(awaited).toEqualTypeOf<PqdmResult<boolean>>();
    await awaited.close();
    class Model {
      constructor(readonly id: number) {}
      call(x: number): [number, number] {
        return [this.id, x];
      }
    }
    const W = delayedInit(Model);
    expectTypeOf(W).parameters.toEqualTypeOf<[number]>();
    const stateful = pqdm([1], [W(0), W(1)]);
    expectTypeOf(stateful).toEqualTypeOf<PqdmResult<[number, number]>>();
    await stateful.close();
    const double = (x: number) => x * 2;
    expectTypeOf(fromModule(import.meta.url, double)).toMatchTypeOf<{ __output?: number }>();
  });
});
