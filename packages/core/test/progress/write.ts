import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPty, inPipes, inTerminal, type ProgressBackend, playTerminal, redraws, slowly } from './run.js';

const bar = (desc: string, total: number) =>
  new RegExp(`^${desc}: [█░]+ \\d+% \\| \\d+/${total} \\| [\\d.k]+/s \\| [\\d.]+s(, ETA [\\d.ms?]+)?$`);

/** Every frame the terminal showed (at each redraw, and at the end) holds only lines that match one of `shapes`. */
function expectWholeLinesOnly(raw: string, shapes: RegExp[]) {
  const cuts = [...redraws(raw), raw.length];
  expect(cuts.length).toBeGreaterThan(2);
  for (const cut of cuts) {
    for (const line of playTerminal(raw.slice(0, cut), 100).lines.filter(Boolean)) {
      expect(
        shapes.some((shape) => shape.test(line)),
        `a line on the screen: ${JSON.stringify(line)}`,
      ).toBe(true);
    }
  }
}

export function writeSuite(m: ProgressBackend) {
  describe.skipIf(!hasPty)(`${m.name}: write() while bars are live`, () => {
    it('prints each line above the live bars, which stay whole, each on a line of its own', async () => {
      const { raw, screen } = await inTerminal(
        m,
        `const range = (n) => Array.from({ length: n }, (_, i) => i);
         const slow = ${slowly(10)};
         const logging = async () => {
           for await (const y of m.pqdm(range(80), slow, { nJobs: 2, desc: 'long' })) if (y % 20 === 10) m.write(\`logged \${y}\`);
         };
         await Promise.all([m.pqdm(range(40), slow, { nJobs: 2, desc: 'short' }), logging()]);
         console.log('after');`,
      );
      expectWholeLinesOnly(raw, [/^logged \d+$/, bar('short', 40), bar('long', 80), /^after$/]);
      const lines = screen.lines.filter(Boolean);
      expect(lines.filter((line) => line.startsWith('logged'))).toEqual([
        'logged 10',
        'logged 30',
        'logged 50',
        'logged 70',
      ]);
      expect(lines.filter((line) => line.startsWith('short:'))).toEqual([expect.stringMatching(/ 40\/40 \|/)]);
      expect(lines.slice(-3)).toEqual(['logged 70', expect.stringMatching(/^long: .* 80\/80 \|/), 'after']);
    });

    it('writes to stdout unless told otherwise: redirected, the lines go to the file and the bar stays on stderr', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'mtl-write-')), 'out.txt');
      const { raw, screen } = await inTerminal(
        m,
        `for await (const y of m.pqdm(Array.from({ length: 30 }, (_, i) => i), ${slowly(10)}, { nJobs: 2, desc: 'bar' })) {
           if (y === 10) m.write('to stdout');
           if (y === 20) m.write('to stderr', { stream: process.stderr });
         }`,
        { stdoutTo: file },
      );
      expect(readFileSync(file, 'utf8')).toBe('to stdout\n');
      expect(raw).not.toContain('to stdout');
      expect(screen.lines.filter(Boolean)).toEqual(['to stderr', expect.stringMatching(/^bar: .* 30\/30 \|/)]);
    });
  });

  describe(`${m.name}: write() without a live bar`, () => {
    it('just writes the line, with a newline, to stdout or the stream given', async () => {
      const { stdout, stderr } = await inPipes(
        m,
        `m.write('one');
         m.write('two', { stream: process.stderr });
         await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, progress: true });
         m.write('three');`,
      );
      expect(stdout).toBe('one\nthree\n');
      expect(stderr).toMatch(/^two\n3\/3 \(100%\) \| [\d.k]+\/s \| [\d.]+s\n$/);
    });

    it('checks its arguments', () => {
      expect(() => m.write(42 as never)).toThrow(TypeError);
      expect(() => m.write(42 as never)).toThrow(/`text` to be a string, got `42` \(number\)/);
      expect(() => m.write('x', { stream: 5 } as never)).toThrow(
        /`stream` to be a writable stream, got `5` \(number\)/,
      );
      expect(() => m.write('x', 'stderr' as never)).toThrow(/`options` to be an object/);
      expect(() => m.write('x', [] as never)).toThrow(/`options` to be an object of options, got an object \(Array\)/);
    });
  });

  describe.skipIf(!hasPty)(`${m.name}: the patchConsole bar option`, () => {
    it('sends console.log and console.warn above the bar while it is live, and puts the console back after', async () => {
      const { raw, screen } = await inTerminal(
        m,
        `const original = console.log;
         const range = (n) => Array.from({ length: n }, (_, i) => i);
         const seen = [];
         for await (const y of m.pqdm(range(20), ${slowly(5)}, { nJobs: 2, desc: 'plain' })) if (y === 0) seen.push(console.log === original);
         for await (const y of m.pqdm(range(40), ${slowly(10)}, { nJobs: 2, desc: 'patched', progress: { patchConsole: true } })) {
           if (y === 0) seen.push(console.log === original);
           if (y === 10) console.log('%d items and %o', 10, { a: 1 });
           if (y === 20) console.warn('a warning');
         }
         seen.push(console.log === original);
         console.log('untouched, patched, restored:', seen.join(' '));`,
      );
      expectWholeLinesOnly(raw, [
        bar('plain', 20),
        bar('patched', 40),
        /^10 items and \{ a: 1 \}$/,
        /^a warning$/,
        /^untouched, patched, restored: true false true$/,
      ]);
      expect(screen.lines.filter(Boolean)).toEqual([
        expect.stringMatching(/^plain: .* 20\/20 \|/),
        '10 items and { a: 1 }',
        'a warning',
        expect.stringMatching(/^patched: .* 40\/40 \|/),
        'untouched, patched, restored: true false true',
      ]);
    });

    it('maps at once: the console is put back when the last one that asked for the patch ends', async () => {
      const { screen } = await inTerminal(
        m,
        `const original = console.log;
         const range = (n) => Array.from({ length: n }, (_, i) => i);
         const progress = { patchConsole: true };
         const long = m.pqdm(range(20), ${slowly(5)}, { nJobs: 2, desc: 'long', progress })[Symbol.asyncIterator]();
         await long.next();
         await m.pqdm(range(5), (x) => x, { nJobs: 2, desc: 'short', progress });
         const afterShort = console.log === original;
         // Something else replaces console.error meanwhile: that stays.
         const mine = (...args) => process.stdout.write(\`mine: \${args.join(' ')}\\n\`);
         console.error = mine;
         while (!(await long.next()).done);
         console.log('after the short map:', afterShort, 'after both:', console.log === original, console.error === mine);`,
      );
      expect(screen.lines.filter(Boolean).at(-1)).toBe('after the short map: false after both: true true');
    });

    it('does nothing where no bar is drawn', async () => {
      const { stdout } = await inPipes(
        m,
        `const original = console.log;
         let same;
         for await (const y of m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, progress: { patchConsole: true } })) same ??= console.log === original;
         console.log('unpatched:', same);`,
      );
      expect(stdout).toBe('unpatched: true\n');
    });

    it('is off by default: console.log lands on the bar line, as it always has', async () => {
      const { screen } = await inTerminal(
        m,
        // By the 16th result (8 rounds of 20 ms) the bar has been drawn: its first redraw is at 100 ms.
        `for await (const y of m.pqdm(Array.from({ length: 30 }, (_, i) => i), ${slowly(20)}, { nJobs: 2, desc: 'bar' })) {
           if (y === 15) console.log('glued');
         }`,
      );
      expect(screen.lines.filter(Boolean)).toEqual([
        expect.stringMatching(/^bar: .*\| \d+\/30 \| .*glued$/),
        expect.stringMatching(/^bar: .* 30\/30 \|/),
      ]);
    });
  });
}
