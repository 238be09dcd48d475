import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BackendUnderTest, counted, naturals, sleep } from './backend.js';

/** In scope inside a worker for a function sent as source text. */
declare const transfer: <T>(value: T, list?: readonly unknown[]) => T;

export function orderingSuite(m: BackendUnderTest) {
  describe(`${m.name}: results, order, laziness, windows`, () => {
    it('await returns every result in input order', async () => {
      const xs = Array.from({ length: 5000 }, (_, i) => i);
      const out = await m.pqdm(xs, (x: number) => x * x, 2);
      expect(out).toEqual(xs.map((x) => x * x));
    });

    it('await with a small window refills it as results are collected, in order', async () => {
      const xs = Array.from({ length: 3000 }, (_, i) => i);
      for (const chunkSize of [1, 4]) {
        const out = await m.pqdm(xs, (x: number) => x * 3, { nJobs: 2, chunkSize });
        expect(out).toEqual(xs.map((x) => x * 3));
      }
    });

    it('for await streams results before the input is finished (an infinite generator)', async () => {
      const seen: number[] = [];
      for await (const y of m.pqdm(naturals(), (x: number) => x * 2, 2)) {
        seen.push(y as number);
        if (seen.length === 1000) break;
      }
      expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i * 2));
    });

    it('async iterables are inputs too', async () => {
      async function* letters() {
        for (const c of 'abcdef') {
          await sleep(1);
          yield c;
        }
      }
      expect(await m.pqdm(letters(), (c: string) => c.toUpperCase(), 2)).toEqual([...'ABCDEF']);
    });

    it('reads nothing from the input before the first next()', async () => {
      const { state, inputs } = counted(naturals());
      const out = m.pqdm(inputs, (x: number) => x, 2);
      await sleep(150);
      expect(state.pulled).toBe(0);
      const iterator = out[Symbol.asyncIterator]();
      expect(await iterator.next()).toEqual({ value: 0, done: false });
      expect(state.pulled).toBeGreaterThan(0);
      await iterator.return?.();
      expect(state.finished).toBe(true);
    });

    it('bounded: pulled-but-not-consumed stays within chunkSize * chunkPrefillRatio with a slow consumer', async () => {
      for (const ordered of [true, false]) {
        const { state, inputs } = counted(naturals());
        let consumed = 0;
        let maxAhead = 0;
        for await (const _ of m.pqdm(inputs, (x: number) => x, {
          nJobs: 2,
          chunkSize: 4,
          chunkPrefillRatio: 2,
          ordered,
        })) {
          consumed++;
          maxAhead = Math.max(maxAhead, state.pulled - consumed);
          await sleep(2);
          if (consumed === 60) break;
        }
        expect(maxAhead).toBeLessThanOrEqual(8);
        expect(state.pulled).toBeLessThanOrEqual(68);
      }
    });

    it('bounded: the window holds for an async input too', async () => {
      let pulled = 0;
      async function* slowly() {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      }
      let consumed = 0;
      let maxAhead = 0;
      for await (const _ of m.pqdm(slowly(), (x: number) => x, { nJobs: 2, chunkSize: 3, chunkPrefillRatio: 2 })) {
        consumed++;
        maxAhead = Math.max(maxAhead, pulled - consumed);
        await sleep(2);
        if (consumed === 40) break;
      }
      expect(maxAhead).toBeLessThanOrEqual(6);
    });

    it('bounded by default: a slow consumer of an infinite generator does not drain it', async () => {
      const { state, inputs } = counted(naturals());
      let consumed = 0;
      for await (const _ of m.pqdm(inputs, (x: number) => x, 2)) {
        if (++consumed % 100 === 0) await sleep(5);
        if (consumed === 3000) break;
      }
      // the tuned window is at most nJobs * 4 * MAX_BATCH (4,096) items ahead of the consumer
      expect(state.pulled - consumed).toBeLessThanOrEqual(2 * 4 * 4096);
    });

    it('bounded: false reads the whole input at the first next(), and still streams', async () => {
      const { state, inputs } = counted(Array.from({ length: 2000 }, (_, i) => i));
      const iterator = m.pqdm(inputs, (x: number) => x, { nJobs: 2, bounded: false })[Symbol.asyncIterator]();
      expect(await iterator.next()).toEqual({ value: 0, done: false });
      expect(state.pulled).toBe(2000);
      expect(await iterator.next()).toEqual({ value: 1, done: false });
      await iterator.return?.();
    });

    it('slow items travel several to a message, and the last ones alone, so the workers finish together', async () => {
      // A worker runs the items of one message back to back, with no microtask in between: a
      // microtask queued by the first item of a message marks where the message ends.
      const tagged = (ms: number) => {
        const g = globalThis as { worker?: number; message?: number; open?: boolean };
        g.worker ??= Math.random();
        if (!g.open) {
          g.open = true;
          g.message = (g.message ?? 0) + 1;
          queueMicrotask(() => {
            g.open = false;
          });
        }
        const end = performance.now() + ms;
        while (performance.now() < end);
        return `${g.worker}:${g.message}`;
      };
      const n = 120;
      /** The size of the message each index travelled in. */
      const sizesOf = (tags: string[]) => {
        const sizes: number[] = [];
        let from = 0;
        for (let i = 1; i <= n; i++) {
          if (i < n && tags[i] === tags[i - 1]) continue;
          sizes.push(...new Array(i - from).fill(i - from));
          from = i;
        }
        return sizes;
      };
      const sizes = sizesOf((await m.pqdm(new Array(n).fill(2), tagged, 2)) as string[]);
      expect(Math.max(...sizes)).toBeGreaterThan(1);
      expect(sizes.slice(-3)).toEqual([1, 1, 1]);
      const alone = sizesOf((await m.pqdm(new Array(n).fill(2), tagged, { nJobs: 2, batchSize: 1 })) as string[]);
      expect(Math.max(...alone)).toBe(1);
    });

    it('length is the input length when it has one, and undefined for a generator', async () => {
      const sized = {
        length: 3,
        *[Symbol.iterator]() {
          yield* [1, 2, 3];
        },
      };
      const cases: [Iterable<unknown>, number | undefined][] = [
        [[1, 2, 3], 3],
        [new Float64Array(7), 7],
        [new Set([1, 2]), 2],
        [new Map([[1, 2]]), 1],
        [sized, 3],
        [naturals(), undefined],
      ];
      for (const [inputs, length] of cases) {
        const out = m.pqdm(inputs, (x: unknown) => x, 2);
        expect(out.length).toBe(length);
        await out.close();
      }
    });

    it('ordered: false yields in completion order', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mtl-order-'));
      // Item 0 finishes only after the other five have, however slowly the second worker starts (one
      // item per batch: none waits behind item 0 in its worker).
      const slowFirst = async ([x, dir]: [number, string]) => {
        const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
        const until = Date.now() + 10_000;
        while (x === 0 && fs.readdirSync(dir).length < 5 && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        if (x !== 0) fs.writeFileSync(`${dir}/${x}`, '');
        return x;
      };
      const items = [0, 1, 2, 3, 4, 5].map((x): [number, string] => [x, dir]);
      const unordered = await m.pqdm(items, slowFirst, { nJobs: 2, ordered: false, batchSize: 1 });
      expect(unordered.at(-1)).toBe(0);
      expect([...unordered].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(await m.pqdm(items, slowFirst, { nJobs: 2, batchSize: 1 })).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('transfer() moves typed arrays to the workers and back on threads; processes copy them', async () => {
      const arrays = [new Float64Array([1, 2, 3]), new Float64Array([4, 5])];
      const doubled = (a: Float64Array) => transfer(a.map((x) => x * 2));
      const out = (await m.pqdm(
        arrays.map((a) => m.transfer(a)),
        doubled,
        { nJobs: 2, exceptionBehaviour: 'immediate' },
      )) as Float64Array[];
      expect(out.map((a) => [...a])).toEqual([
        [2, 4, 6],
        [8, 10],
      ]);
      // Moved: the caller's arrays are left empty (detached); copied: they are as they were.
      expect(arrays.map((a) => a.length)).toEqual(m.separateProcesses ? [3, 2] : [0, 0]);
    });

    it('argumentType args spreads an array item; kwargs passes an object to destructure', async () => {
      expect(
        await m.pqdm(
          [
            [1, 2],
            [2, 3],
            [3, 4],
          ],
          (a: number, b: number) => a * b,
          { nJobs: 2, argumentType: 'args' },
        ),
      ).toEqual([2, 6, 12]);
      const items = [
        { a: 1, b: 2 },
        { a: 2, b: 3 },
      ];
      expect(
        await m.pqdm(items, ({ a, b }: { a: number; b: number }) => a * b, { nJobs: 2, argumentType: 'kwargs' }),
      ).toEqual([2, 6]);
      // A bare number where 'args' wants an array does not compile; at run time it fails its item.
      const [bad] = await m.pqdm([5] as never, (a: number) => a, { nJobs: 2, argumentType: 'args' });
      expect(m.isException(bad) && bad.message).toMatch(/must be an array/);
    });

    it('the result can be consumed once, either way', async () => {
      const out = m.pqdm([1, 2], (x: number) => x, 2);
      await out;
      expect(() => out[Symbol.asyncIterator]()).toThrow(/consumed once/);
    });
  });
}

export function valuesSuite(m: BackendUnderTest) {
  describe(`${m.name}: values cross the boundary as structured clone carries them`, () => {
    it('Map, Set, Date, BigInt, typed arrays and nested Errors with cause come back equal', async () => {
      const cause = new TypeError('inner');
      const values = [
        new Map([['a', 1]]),
        new Set([1, 2]),
        new Date(86_400_000),
        12345678901234567890n,
        new Float32Array([1.5, 2.5]),
        { nested: [new Uint8Array([1, 2, 3])] },
        new Error('outer', { cause }),
      ];
      const out = await m.pqdm(values, (x: unknown) => x, 2);
      expect(out.slice(0, 6)).toEqual(values.slice(0, 6));
      const error = out[6] as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe('outer');
      expect((error.cause as Error).message).toBe('inner');
    });

    it('a thrown error keeps its cause chain across the boundary', async () => {
      const [error] = (await m.pqdm(
        [1],
        () => {
          throw new Error('top', { cause: Object.assign(new RangeError('root'), { code: 'E_ROOT' }) });
        },
        2,
      )) as unknown as Error[];
      expect(error.message).toBe('top');
      expect(error.cause).toBeInstanceOf(RangeError);
      expect((error.cause as Error & { code: string }).code).toBe('E_ROOT');
    });
  });
}
