import { describe, expect, it } from 'vitest';
import { type BackendUnderTest, counted, fixture, naturals } from './backend.js';

export function errorsSuite(m: BackendUnderTest) {
  describe(`${m.name}: exception behaviours and bad input`, () => {
    const xs = [0, 1, 2, 3, 4];

    it('ignore (default): a failed item yields its error in place, with name, message, stack, code and index', async () => {
      const out = await m.pqdm(xs, m.fromModule(fixture('workers.mjs'), 'failWithCode'), 2);
      expect(out.filter((y) => !m.isException(y))).toEqual([0, 2, 4]);
      const error = out[1] as RangeError & { code: string; index: number };
      expect(m.isException(error)).toBe(true);
      expect(error).toBeInstanceOf(RangeError);
      expect(error.name).toBe('RangeError');
      expect(error.message).toBe('odd input 1');
      expect(error.code).toBe('E_ODD');
      expect(error.index).toBe(1);
      expect(error.stack).toMatch(/failWithCode .*workers\.mjs/);
      expect((out[3] as Error & { index: number }).index).toBe(3);
    });

    it('immediate: throws the first error and stops pulling input (item 3 of 100,000)', async () => {
      const { state, inputs } = counted(Array.from({ length: 100_000 }, (_, i) => i));
      const failOn3 = (x: number) => {
        if (x === 3) throw new Error('item three');
        return x;
      };
      await expect(m.pqdm(inputs, failOn3, { nJobs: 2, exceptionBehaviour: 'immediate' })).rejects.toThrow(
        'item three',
      );
      expect(state.pulled).toBeLessThan(20_000);
      expect(state.finished).toBe(true);
    });

    it('immediate while streaming: results handed over stay, then the error is thrown', async () => {
      const seen: number[] = [];
      const failAt = (x: number) => {
        if (x === 500) throw new TypeError('five hundred');
        return x;
      };
      await expect(
        (async () => {
          for await (const y of m.pqdm(naturals(), failAt, { nJobs: 2, exceptionBehaviour: 'immediate', chunkSize: 8 }))
            seen.push(y as number);
        })(),
      ).rejects.toThrow('five hundred');
      expect(seen.length).toBeLessThanOrEqual(500);
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i));
    });

    it('deferred: yields everything, errors in place, then throws an AggregateError with their indices', async () => {
      const seen: unknown[] = [];
      let thrown: unknown;
      try {
        for await (const y of m.pqdm(xs, m.fromModule(fixture('workers.mjs'), 'failWithCode'), {
          nJobs: 2,
          exceptionBehaviour: 'deferred',
        }))
          seen.push(y);
      } catch (error) {
        thrown = error;
      }
      expect(seen).toHaveLength(5);
      expect(thrown).toBeInstanceOf(AggregateError);
      const { errors } = thrown as AggregateError;
      expect(errors.map((e: { index: number }) => e.index)).toEqual([1, 3]);
      await expect(
        m.pqdm(xs, m.fromModule(fixture('workers.mjs'), 'failWithCode'), { nJobs: 2, exceptionBehaviour: 'deferred' }),
      ).rejects.toBeInstanceOf(AggregateError);
    });

    it('an input iterator that throws ends the map with its error', async () => {
      function* broken() {
        yield 1;
        yield 2;
        throw new Error('input broke');
      }
      await expect(m.pqdm(broken(), (x: number) => x, 2)).rejects.toThrow('input broke');
    });

    it('a result that cannot be sent back fails its own item, not its batch', async () => {
      const send = (x: number) => {
        if (x === 3) throw new Error('three');
        return x === 2 ? () => x : x;
      };
      const out: unknown[] = await m.pqdm([1, 2, 3, 4], send, { nJobs: 2, batchSize: 4 });
      expect([out[0], out[3]]).toEqual([1, 4]);
      expect(m.isException(out[1]) && (out[1] as Error).message).toMatch(/cannot be sent back/);
      expect(m.isException(out[2]) && (out[2] as Error).message).toBe('three');
    });

    it('an input that cannot be sent fails its own item with its index', async () => {
      const out = await m.pqdm([1, () => 2, 3], (x: unknown) => x, { nJobs: 2, batchSize: 3 });
      expect([out[0], out[2]]).toEqual([1, 3]);
      expect((out[1] as Error & { index: number }).index).toBe(1);
      expect((out[1] as Error).message).toMatch(/item 1 cannot be sent/);
    });
  });

  describe(`${m.name}: options are checked up front`, () => {
    const f = (x: number) => x;

    // Each option's checks and messages are unit-tested in packages/core/test/unit/options.test.ts;
    // here, once per entry point, that this backend's pqdm, Pool and pool.map run them.
    it('pqdm, new Pool and pool.map refuse an unknown option, suggesting the right name', async () => {
      expect(() => m.pqdm([1], f, { exceptionBehavior: 'ignore' } as never)).toThrow(
        new RegExp(
          `^pqdm \\(${m.name}\\): unknown option \`exceptionBehavior\`; did you mean \`exceptionBehaviour\`\\?`,
        ),
      );
      expect(() => new m.Pool(f, { n_jobs: 2 } as never)).toThrow(
        new RegExp(`^new Pool \\(${m.name}\\): unknown option \`n_jobs\`; did you mean \`nJobs\`\\?`),
      );
      const pool = new m.Pool(f, { nJobs: 2 });
      expect(() => pool.map([1], { is_unordered: true } as never)).toThrow(
        /^pool\.map: unknown option `is_unordered`; did you mean `ordered: false`\?/,
      );
      // execArgv: an option of this backend (of every backend), which the pool takes and a map does not.
      expect(() => pool.map([1], { execArgv: [] } as never)).toThrow(
        new TypeError(
          '`execArgv` is an option of the Pool, not of a map: pass it to `new Pool(workers, { execArgv })`',
        ),
      );
      await pool.close();
    });

    it('bad workers and inputs are named', () => {
      expect(() => m.pqdm([1] as never, 42 as never, 2)).toThrow(
        /expected a worker function, fromModule.*got `42` \(number\)/,
      );
      expect(() => m.pqdm([1], Math.sqrt, 2)).toThrow(/is a built-in function/);
      class NoCall {}
      expect(() => m.delayedInit(NoCall as never)).toThrow(/has no `call\(item\)` method/);
      expect(() => m.pqdm([1] as never, NoCall as never, 2)).toThrow(/is a class; wrap it/);
      expect(() => m.pqdm(42 as never, f, 2)).toThrow(/`inputs` to be an Iterable or an AsyncIterable/);
      expect(() => m.fromModule('relative/path.js', 'f')).toThrow(/import\.meta\.url/);
    });
  });
}
