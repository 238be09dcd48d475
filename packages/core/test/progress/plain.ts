import { describe, expect, it } from 'vitest';
import { inPipes, type ProgressBackend, slowly } from './run.js';

export function plainSuite(m: ProgressBackend) {
  describe(`${m.name}: progress when stderr is not a terminal`, () => {
    it('by default nothing is written to stderr', async () => {
      const { stdout, stderr } = await inPipes(
        m,
        `function* lines() { for (let i = 0; i < 50; i++) yield i; }
         await m.pqdm(Array.from({ length: 50 }, (_, i) => i), ${slowly(2)}, { nJobs: 2, desc: 'sized' });
         await m.pqdm(lines(), (x) => x, { nJobs: 2, desc: 'gen' });
         await m.pqdm([1, 2], (x) => { throw new Error('no'); }, { nJobs: 2, desc: 'failing' });
         for await (const y of m.pqdm(lines(), (x) => x, { nJobs: 2 })) if (y === 3) break;
         console.log('done');`,
      );
      expect(stdout).toBe('done\n');
      expect(stderr).toBe('');
    });

    it('`progress: true` prints a plain line now and then, and one when the map ends', async () => {
      const { stderr } = await inPipes(
        m,
        `await m.pqdm(Array.from({ length: 60 }, (_, i) => i), ${slowly(10)}, { nJobs: 2, desc: 'sized', progress: { notTTYSchedule: 80 } });
         function* lines() { for (let i = 0; i < 20; i++) yield i; }
         await m.pqdm(lines(), (x) => x, { nJobs: 2, desc: 'gen', progress: true });`,
      );
      expect(stderr).not.toContain('\x1b');
      const lines = stderr.trimEnd().split('\n');
      const sized = lines.filter((line) => line.startsWith('sized:'));
      expect(sized.length).toBeGreaterThan(1);
      for (const line of sized)
        expect(line).toMatch(/^sized: \d+\/60 \(\d+%\) \| [\d.k]+\/s \| [\d.]+s(, ETA [\d.ms?]+)?$/);
      expect(sized.at(-1)).toMatch(/^sized: 60\/60 \(100%\) \| [\d.k]+\/s \| [\d.]+s$/);
      // A map shorter than the interval prints its last line only.
      expect(lines.filter((line) => line.startsWith('gen:'))).toEqual([
        expect.stringMatching(/^gen: 20 done \| [\d.k]+\/s \| [\d.]+s$/),
      ]);
    });

    it('by default the plain line comes every 5 s', async () => {
      const { stderr } = await inPipes(
        m,
        `await m.pqdm(Array.from({ length: 110 }, (_, i) => i), ${slowly(100)}, { nJobs: 2, progress: true });`,
      );
      const lines = stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      const seconds = Number(/ \| ([\d.]+)s, ETA /.exec(lines[0])?.[1]);
      expect(seconds).toBeGreaterThanOrEqual(4.9);
      expect(seconds).toBeLessThan(5.5);
    });

    it('the plain line counts failures', async () => {
      const { stderr } = await inPipes(
        m,
        `await m.pqdm([1, 2, 3, 4], (x) => { if (x > 2) throw new Error('no'); return x; }, { nJobs: 2, progress: true });`,
      );
      expect(stderr).toMatch(/^4\/4 \(100%\) \| [\d.k]+\/s \| [\d.]+s \| 2 failed\n$/);
    });
  });
}
