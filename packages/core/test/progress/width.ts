import { describe, expect, it } from 'vitest';
import { drawn, hasPty, inTerminal, type ProgressBackend, playTerminal, redraws, slowly } from './run.js';

/** Characters a line takes on the screen (every character the bar uses is one column wide). */
const width = (line: string) => [...line].length;

/** The lines of one sized map, as drawn: `desc: ` to the end of the line. */
const barLines = (raw: string, desc: string) => drawn(raw).filter((text) => text.startsWith(`${desc}: `));

export function widthSuite(m: ProgressBackend) {
  describe.skipIf(!hasPty)(`${m.name}: the bar fits the terminal's width`, () => {
    const sizedMap = `await m.pqdm(Array.from({ length: 200 }, (_, i) => i), ${slowly(10)}, { nJobs: 2, desc: 'lines' });
       console.log('after');`;

    it('at 120 columns the line has every part, and the bar its full 30 characters', async () => {
      const { raw, screen } = await inTerminal(m, sizedMap, { columns: 120 });
      const running = barLines(raw, 'lines').filter((line) => line.includes('ETA'));
      expect(running.length).toBeGreaterThan(2);
      for (const line of running) {
        expect(line).toMatch(/^lines: [█░]{30} \d+% \| \d+\/200 \| [\d.k]+\/s \| [\d.]+s, ETA [\d.ms?]+$/);
      }
      expect(screen.lines.filter(Boolean)).toEqual([
        expect.stringMatching(/^lines: █{30} 100% \| 200\/200 \| [\d.k]+\/s \| [\d.]+s$/),
        'after',
      ]);
    });

    it('at 60 columns the bar is shorter, the ETA stays whole, and no line wraps', async () => {
      const { raw, screen } = await inTerminal(m, sizedMap, { columns: 60 });
      const lines = barLines(raw, 'lines');
      const running = lines.filter((line) => line.includes('ETA'));
      expect(running.length).toBeGreaterThan(2);
      for (const line of lines) expect(width(line)).toBeLessThan(60);
      for (const line of running) {
        expect(line).toMatch(/^lines: [█░]{10,29} \d+% \| \d+\/200( \| [\d.k]+\/s)? \| ([\d.]+s, )?ETA [\d.ms?]+$/);
      }
      // The line does not flicker as its figures change length: the bar never grows back, a part once
      // dropped stays dropped.
      const barSizes = running.map((line) => (/[█░]+/.exec(line)?.[0] ?? '').length);
      expect(barSizes).toEqual([...barSizes].sort((a, b) => b - a));
      const withRate = running.map((line) => /\/s \|/.test(line));
      expect(withRate).toEqual([...withRate].sort((a, b) => Number(b) - Number(a)));
      // Played on a 60-column screen, every frame and the end hold whole lines only: a line that wrapped
      // would leave its tail on a line of its own.
      for (const cut of [...redraws(raw), raw.length]) {
        for (const line of playTerminal(raw.slice(0, cut), 60).lines.filter(Boolean)) {
          expect(line).toMatch(/^(lines: [█░]+ \d+% \| \d+\/200 \| .*s|after)$/);
        }
      }
      expect(screen.lines.filter(Boolean)).toEqual([
        expect.stringMatching(/^lines: █{10,29} 100% \| 200\/200 \| [\d.k]+\/s \| [\d.]+s$/),
        'after',
      ]);
    });

    it('on a narrower terminal the parts go in turn, then the desc is shortened: the count and failures stay', async () => {
      const { screen } = await inTerminal(
        m,
        `const fail = (x) => { if (x === 3) throw new Error('no'); return x; };
         await m.pqdm(Array.from({ length: 200 }, (_, i) => i), fail, { nJobs: 2, desc: 'lines' });
         await m.pqdm(Array.from({ length: 200 }, (_, i) => i), fail, { nJobs: 2, desc: 'a rather long description' });`,
        { columns: 30 },
      );
      expect(screen.lines.filter(Boolean)).toEqual(['lines: 200/200 | 1 failed', 'a rather…: 200/200 | 1 failed']);
    });

    it('a resized terminal gets lines of its new width from the next redraw', async () => {
      const { raw } = await inTerminal(
        m,
        `import { spawnSync } from 'node:child_process';
         for await (const y of m.pqdm(Array.from({ length: 100 }, (_, i) => i), ${slowly(10)}, { nJobs: 2, desc: 'lines' })) {
           if (y !== 40) continue;
           spawnSync('stty', ['cols', '60'], { stdio: 'inherit' });
           while (process.stderr.columns !== 60) await new Promise((resolve) => setTimeout(resolve, 5));
           m.write('resized');
         }`,
        { columns: 120 },
      );
      const at = drawn(raw).indexOf('resized');
      expect(at).toBeGreaterThan(0);
      const before = drawn(raw)
        .slice(0, at)
        .filter((text) => text.startsWith('lines: '));
      const after = drawn(raw)
        .slice(at)
        .filter((text) => text.startsWith('lines: '));
      expect(before.some((line) => width(line) >= 60)).toBe(true);
      expect(after.length).toBeGreaterThan(0);
      for (const line of after) expect(width(line)).toBeLessThan(60);
    });

    it('a format of your own: its {bar} shrinks to fit, then the line is cut at the width', async () => {
      const { screen } = await inTerminal(
        m,
        `await m.pqdm([1, 2, 3, 4], (x) => x, { nJobs: 2, progress: { format: '[{bar}] {value}/{total} all the rest of it', barsize: 40 } });
         await m.pqdm([1, 2, 3, 4], (x) => x, { nJobs: 2, progress: { format: '{value}/{total} and then a tail long enough to need cutting off' } });`,
        { columns: 40 },
      );
      expect(screen.lines.filter(Boolean)).toEqual([
        '[██████████████] 4/4 all the rest of it',
        '4/4 and then a tail long enough to need',
      ]);
    });
  });
}
