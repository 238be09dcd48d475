import { describe, expect, it } from 'vitest';
import { inPipes, type ProgressBackend } from './run.js';

/** onProgress needs no bar: it is called with the bar off. */
const quiet = { nJobs: 2, disable: true };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleepy = async (x: number) => {
  await new Promise((resolve) => setTimeout(resolve, (x * 7) % 5));
  return x;
};

export function onProgressSuite(m: ProgressBackend) {
  describe(`${m.name}: onProgress`, () => {
    it('is called once per result, just before the consumer gets it, with the length as total', async () => {
      const log: string[] = [];
      const onProgress = (done: number, total: number | undefined) => log.push(`progress ${done}/${total}`);
      for await (const y of m.pqdm(range(40), sleepy, { ...quiet, ordered: false, onProgress })) log.push(`got ${y}`);
      expect(log).toHaveLength(80);
      log.forEach((entry, i) => {
        expect(entry).toMatch(i % 2 === 0 ? `progress ${i / 2 + 1}/40` : /^got \d+$/);
      });
    });

    it('counts every result of a large map exactly once, with `await` as well', async () => {
      const calls: number[] = [];
      const out = await m.pqdm(range(20_000), (x: number) => x * 2, {
        ...quiet,
        onProgress: (done, total) => {
          calls.push(done);
          if (total !== 20_000) throw new Error(`total ${total}`);
        },
      });
      expect(out).toHaveLength(20_000);
      expect(calls).toEqual(range(20_000).map((i) => i + 1));
    });

    it('with `await`, an error thrown by onProgress rejects the map with it, and no call follows', async () => {
      const calls: number[] = [];
      const onProgress = (done: number) => {
        calls.push(done);
        if (done === 50) throw new Error('from onProgress');
      };
      await expect(m.pqdm(range(2000), (x: number) => x, { ...quiet, onProgress })).rejects.toThrow('from onProgress');
      expect(calls).toEqual(range(50).map((i) => i + 1));
    });

    it('has no total for a generator, and the `total` option when one is given', async () => {
      function* gen(n: number) {
        yield* range(n);
      }
      const totals = new Set<number | undefined>();
      await m.pqdm(gen(10), (x: number) => x, { ...quiet, onProgress: (_, total) => totals.add(total) });
      expect([...totals]).toEqual([undefined]);
      totals.clear();
      await m.pqdm(gen(10), (x: number) => x, { ...quiet, total: 12, onProgress: (_, total) => totals.add(total) });
      await m.pqdm(range(5), (x: number) => x, { ...quiet, total: 12, onProgress: (_, total) => totals.add(total) });
      expect([...totals]).toEqual([12]);
    });

    it('counts failed items, which are results too, in every exception mode that hands them over', async () => {
      const fail = (x: number) => {
        if (x % 4 === 0) throw new Error('no');
        return x;
      };
      for (const exceptionBehaviour of ['ignore', 'deferred'] as const) {
        const calls: number[] = [];
        const out = m.pqdm(range(20), fail, { ...quiet, exceptionBehaviour, onProgress: (done) => calls.push(done) });
        await out.then(
          () => {},
          () => {},
        );
        expect(calls).toEqual(range(20).map((i) => i + 1));
      }
    });

    it('runs in the calling thread with nJobs: 1 as well', async () => {
      const calls: number[] = [];
      await m.pqdm(range(7), (x: number) => x, { nJobs: 1, disable: true, onProgress: (done) => calls.push(done) });
      expect(calls).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('an error thrown by onProgress ends the map with that error, and its workers stop', async () => {
      const { stdout } = await inPipes(
        m,
        `function* naturals() { for (let i = 0; ; i++) yield i; }
         const onProgress = (done) => { if (done === 50) throw new Error('from onProgress'); };
         let seen = 0;
         try { for await (const y of m.pqdm(naturals(), (x) => x, { nJobs: 2, onProgress })) seen++; }
         catch (error) { console.log(error.message, seen); }`,
      );
      // The process exits by itself: no worker is left running.
      expect(stdout).toBe('from onProgress 50\n');
    });
  });
}
