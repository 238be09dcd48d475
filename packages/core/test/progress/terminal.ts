import { describe, expect, it } from 'vitest';
import {
  COLUMNS,
  hasPty,
  inTerminal,
  type ProgressBackend,
  plain,
  playTerminal,
  redraws,
  type Screen,
  slowly,
} from './run.js';

/** The counts a bar showed over its life, in order: `done/total` pairs. */
const countsShown = (raw: string, desc: string) =>
  [...plain(raw).matchAll(new RegExp(`${desc}: [^|\\n]*\\| (\\d+)/(\\d+) \\|`, 'g'))].map(([, done, total]) => [
    Number(done),
    Number(total),
  ]);

/** The terminal is as the program found it, and the program's last line stands on a line of its own. */
function expectRestored(screen: Screen, lastLine: string) {
  expect(screen.cursorVisible).toBe(true);
  expect(screen.autowrap).toBe(true);
  expect(screen.lines.filter(Boolean).at(-1)).toBe(lastLine);
}

export function terminalSuite(m: ProgressBackend) {
  describe.skipIf(!hasPty)(`${m.name}: the bar on a terminal`, () => {
    it('a sized input: every frame shows the input length as total, and the bar ends at N/N', async () => {
      const { raw, screen } = await inTerminal(
        m,
        `await m.pqdm(Array.from({ length: 60 }, (_, i) => i), ${slowly(10)}, { nJobs: 2, desc: 'sized' });
         console.log('after');`,
      );
      const counts = countsShown(raw, 'sized');
      expect(counts.length).toBeGreaterThan(2);
      expect(counts.every(([, total]) => total === 60)).toBe(true);
      expect(counts.at(-1)).toEqual([60, 60]);
      expect(screen.lines.filter((line) => line.startsWith('sized:'))).toEqual([
        expect.stringMatching(/^sized: █+ 100% \| 60\/60 \| [\d.k]+\/s \| [\d.]+s$/),
      ]);
      expectRestored(screen, 'after');
    });

    it('a generator: the bar shows a count and a rate, without a total', async () => {
      const { raw, screen } = await inTerminal(
        m,
        `function* lines() { for (let i = 0; i < 40; i++) yield i; }
         await m.pqdm(lines(), ${slowly(10)}, { nJobs: 2, desc: 'gen' });
         console.log('after');`,
      );
      expect(plain(raw)).not.toMatch(/gen: .*\d+\/\d+ \|/);
      expect(screen.lines.filter((line) => line.startsWith('gen:'))).toEqual([
        expect.stringMatching(/^gen: 40 done \| [\d.k]+\/s \| [\d.]+s$/),
      ]);
      expectRestored(screen, 'after');
    });

    it('an explicit `total` overrides the length, and gives a generator a total', async () => {
      const { screen } = await inTerminal(
        m,
        `function* lines() { for (let i = 0; i < 30; i++) yield i; }
         await m.pqdm(lines(), (x) => x, { nJobs: 2, desc: 'gen', total: 30 });
         await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, desc: 'array', total: 10 });`,
      );
      expect(screen.lines.find((line) => line.startsWith('gen:'))).toMatch(/ 100% \| 30\/30 \|/);
      expect(screen.lines.find((line) => line.startsWith('array:'))).toMatch(/ 30% \| 3\/10 \|/);
    });

    it('failed items count as done, and the bar says how many failed', async () => {
      const { screen } = await inTerminal(
        m,
        `const out = await m.pqdm([1, 2, 3, 4, 5, 6], (x) => { if (x % 3 === 0) throw new Error('no'); return x; }, { nJobs: 2, desc: 'e' });
         console.log(out.filter(m.isException).length, 'errors');`,
      );
      expect(screen.lines.find((line) => line.startsWith('e:'))).toMatch(/ 6\/6 \| .* \| 2 failed$/);
      expectRestored(screen, '2 errors');
    });

    it('maps running at once each keep a line of their own, and each leaves its last line', async () => {
      const { raw, screen } = await inTerminal(
        m,
        `await Promise.all([
           m.pqdm(Array.from({ length: 30 }, (_, i) => i), ${slowly(10)}, { nJobs: 2, desc: 'short' }),
           m.pqdm(Array.from({ length: 60 }, (_, i) => i), ${slowly(10)}, { nJobs: 2, desc: 'long' }),
         ]);
         console.log('after');`,
      );
      // Replays the output frame by frame (each redraw starts with a cursor move up): at no point
      // may a map have two lines, or a line hold anything but one well-formed bar.
      const bar = /^(short|long): [█░]+ \d+% \| \d+\/\d+ \| [\d.k]+\/s \| [\d.]+s(, ETA [\d.ms?]+)?$/;
      const cuts = redraws(raw);
      expect(cuts.length).toBeGreaterThan(2);
      for (const cut of cuts) {
        const lines = playTerminal(raw.slice(0, cut), COLUMNS).lines.filter(Boolean);
        for (const desc of ['short', 'long']) {
          expect(lines.filter((line) => line.includes(desc)).length).toBeLessThanOrEqual(1);
        }
        for (const line of lines) expect(line).toMatch(bar);
      }
      expect(screen.lines.filter(Boolean)).toEqual([
        expect.stringMatching(/^short: .* 30\/30 \|/),
        expect.stringMatching(/^long: .* 60\/60 \|/),
        'after',
      ]);
      expectRestored(screen, 'after');
    });

    it.each([
      // The bar counts what the consumer took (0 to 5), not what the workers ran ahead of it.
      ['break', `for await (const y of m.pqdm(naturals(), slow, options)) if (y === 5) break;`, /^bar: 6 done \|/],
      [
        "an error in 'immediate' mode",
        `const fail = (x) => { if (x === 20) throw new Error('no'); return x; };
         try { for await (const y of m.pqdm(naturals(), fail, { ...options, exceptionBehaviour: 'immediate' })); } catch {}`,
        /^bar: \d+ done \| .* \| 1 failed$/,
      ],
      [
        'an abort',
        `try { await m.pqdm(naturals(), slow, { ...options, signal: AbortSignal.timeout(200) }); } catch {}`,
        /^bar: \d+ done \|/,
      ],
      [
        'close()',
        `const out = m.pqdm(naturals(), slow, options);
         const it = out[Symbol.asyncIterator]();
         for (let i = 0; i < 10; i++) await it.next();
         await out.close();`,
        /^bar: 10 done \|/,
      ],
    ])('after %s the bar is finished and the terminal restored', async (_, body, last) => {
      const { screen } = await inTerminal(
        m,
        `function* naturals() { for (let i = 0; ; i++) yield i; }
         const slow = ${slowly(5)};
         const options = { nJobs: 2, desc: 'bar' };
         ${body}
         console.log('after');`,
      );
      expect(screen.lines.filter((line) => line.startsWith('bar:'))).toEqual([expect.stringMatching(last)]);
      expectRestored(screen, 'after');
    });

    it('a cursor hidden on request is shown again, after a break and at process.exit() in the middle of a map', async () => {
      const { raw, screen } = await inTerminal(
        m,
        `function* naturals() { for (let i = 0; ; i++) yield i; }
         const progress = { hideCursor: true };
         for await (const y of m.pqdm(naturals(), ${slowly(5)}, { nJobs: 2, desc: 'one', progress })) if (y === 30) break;
         for await (const y of m.pqdm(naturals(), ${slowly(5)}, { nJobs: 2, desc: 'two', progress })) if (y === 30) process.exit(0);`,
      );
      expect(raw).toContain('\x1b[?25l');
      expect(screen.cursorVisible).toBe(true);
      expect(screen.lines.filter(Boolean)).toEqual([
        expect.stringMatching(/^one: \d+ done \|/),
        expect.stringMatching(/^two: \d+ done \|/),
      ]);
      expect(screen.col).toBe(0);
    });

    it('the bar starts when the consumer does, not when the map is made', async () => {
      const { raw } = await inTerminal(
        m,
        `const out = m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, desc: 'lazy' });
         await new Promise((resolve) => setTimeout(resolve, 300));
         console.log('consuming');
         await out;`,
      );
      expect(plain(raw).indexOf('consuming')).toBeLessThan(plain(raw).indexOf('lazy:'));
    });

    it('the bar is drawn on stderr', async () => {
      const { screen } = await inTerminal(m, `await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, desc: 'e' });`, {
        stdoutTo: '/dev/null',
      });
      expect(screen.lines.filter(Boolean)).toEqual([expect.stringMatching(/^e: .* 3\/3 \|/)]);
    });

    it('`progress` options: a format of your own (with the {rate} and {failed} tokens), clearOnComplete', async () => {
      const { raw, screen } = await inTerminal(
        m,
        `const fail = (x) => { if (x === 2) throw new Error('no'); return x; };
         await m.pqdm([1, 2, 3], fail, { nJobs: 2, progress: { format: 'mine {value} of {total} at {rate}/s{failed}' } });
         await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, desc: 'gone', progress: { clearOnComplete: true } });
         console.log('after');`,
      );
      expect(plain(raw)).toContain('gone: ');
      expect(screen.lines.filter(Boolean)).toEqual([
        expect.stringMatching(/^mine 3 of 3 at [\d.k]+\/s \| 1 failed$/),
        'after',
      ]);
    });

    it('by default the bar hides nothing and switches no terminal mode', async () => {
      const { raw } = await inTerminal(m, `await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2 });`);
      expect(plain(raw)).toMatch(/3\/3/);
      for (const mode of ['\x1b[?25l', '\x1b[?7l']) expect(raw).not.toContain(mode);
    });

    it('`disable: true` and `progress: false` draw nothing', async () => {
      const { raw } = await inTerminal(
        m,
        `await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, disable: true });
         await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, progress: false });
         process.stdout.write('quiet');`,
      );
      expect(raw).toBe('quiet');
    });
  });
}
