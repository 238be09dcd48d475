import { describe, expect, it } from 'vitest';
import { type BackendUnderTest, naturals, script } from './backend.js';

export function lifecycleSuite(m: BackendUnderTest) {
  describe(`${m.name}: stopping, cancelling and exiting`, () => {
    it('break stops the workers and the process exits by itself', async () => {
      const { stdout } = await script(
        m,
        `function* n() { for (let i = 0; ; i++) yield i; }
         let last;
         for await (const y of m.pqdm(n(), (x) => x, 2)) { last = y; if (y === 100) break; }
         console.log('broke at', last);`,
      );
      expect(stdout).toBe('broke at 100');
    });

    it('a script that awaits a map, or never consumes one, exits at once', async () => {
      const { stdout } = await script(
        m,
        `const out = await m.pqdm([1, 2, 3], (x) => x + 1, 2);
         const unused = m.pqdm([1, 2, 3], (x) => x, 2);
         console.log(JSON.stringify(out), unused.length);`,
      );
      expect(stdout).toBe('[2,3,4] 3');
    });

    it('an AbortSignal stops the map and rejects with its reason', async () => {
      const controller = new AbortController();
      const slow = async (x: number) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return x;
      };
      const started = Date.now();
      setTimeout(() => controller.abort(new Error('stop now')), 100);
      await expect(m.pqdm(naturals(), slow, { nJobs: 2, signal: controller.signal })).rejects.toThrow('stop now');
      expect(Date.now() - started).toBeLessThan(3000);
      const aborted = AbortSignal.abort(new Error('already'));
      await expect(m.pqdm([1], slow, { nJobs: 2, signal: aborted })).rejects.toThrow('already');
    });

    it('close() and await using stop a map that is being iterated', async () => {
      const out = m.pqdm(naturals(), (x: number) => x, 2);
      const iterator = out[Symbol.asyncIterator]();
      await iterator.next();
      await out.close();
      {
        await using disposable = m.pqdm([1, 2, 3], (x: number) => x, 2);
        expect(disposable.length).toBe(3);
      }
    });
  });
}
