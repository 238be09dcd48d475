import { describe, expect, it } from 'vitest';
import { hasPty, inPipes, inTerminal, type ProgressBackend, slowly } from './run.js';

export function optionsSuite(m: ProgressBackend) {
  describe.skipIf(!hasPty)(`${m.name}: \`unit\` and \`{desc}\``, () => {
    it('`unit` names what is counted, in the count and in the rate, sized or not', async () => {
      const { screen } = await inTerminal(
        m,
        `const progress = { unit: 'files' };
         await m.pqdm(Array.from({ length: 30 }, (_, i) => i), ${slowly(5)}, { nJobs: 2, desc: 'sized', progress });
         function* gen() { for (let i = 0; i < 20; i++) yield i; }
         await m.pqdm(gen(), (x) => x, { nJobs: 2, desc: 'gen', progress });`,
      );
      expect(screen.lines.filter(Boolean)).toEqual([
        expect.stringMatching(/^sized: █{30} 100% \| 30\/30 files \| [\d.k]+ files\/s \| [\d.]+s$/),
        expect.stringMatching(/^gen: 20 files \| [\d.k]+ files\/s \| [\d.]+s$/),
      ]);
    });

    it('a format of your own can show the desc and the unit', async () => {
      const { screen } = await inTerminal(
        m,
        `await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, desc: 'mine', progress: { unit: 'pages', format: '{desc} {value}/{total} {unit}' } });
         await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, progress: { format: '[{desc}] {value}' } });`,
      );
      expect(screen.lines.filter(Boolean)).toEqual(['mine 3/3 pages', '[] 3']);
    });
  });

  describe(`${m.name}: \`unit\` where stderr is not a terminal`, () => {
    it('the plain line shows the unit too', async () => {
      const { stderr } = await inPipes(
        m,
        `await m.pqdm([1, 2, 3], (x) => x, { nJobs: 2, desc: 'sized', progress: { unit: 'files' } });
         function* gen() { for (let i = 0; i < 5; i++) yield i; }
         await m.pqdm(gen(), (x) => x, { nJobs: 2, progress: { unit: 'files' } });`,
      );
      expect(stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^sized: 3\/3 files \(100%\) \| [\d.k]+ files\/s \| [\d.]+s$/),
        expect.stringMatching(/^5 files \| [\d.k]+ files\/s \| [\d.]+s$/),
      ]);
    });
  });

  describe(`${m.name}: bar options are checked up front`, () => {
    const f = (x: number) => x;
    const withProgress = (progress: unknown) => () => m.pqdm([1], f, { nJobs: 2, progress } as never);

    it('an unknown key is a TypeError that suggests the known one', () => {
      expect(withProgress({ barSize: 20 })).toThrow(TypeError);
      expect(withProgress({ barSize: 20 })).toThrow(/`progress`: unknown option `barSize`; did you mean `barsize`\?/);
      expect(withProgress({ units: 'files' })).toThrow(/did you mean `unit`\?/);
      expect(withProgress({ linewrap: false })).toThrow(/unknown option `linewrap`/);
    });

    it("tqdm's top-level `unit` and `bar_format` point to the bar options", () => {
      expect(() => m.pqdm([1], f, { unit: 'files' } as never)).toThrow(/did you mean `progress: \{ unit \}`\?/);
      expect(() => m.pqdm([1], f, { bar_format: '{bar}' } as never)).toThrow(/did you mean `progress: \{ format \}`\?/);
    });

    it.each([
      [{ unit: 5 }, TypeError, /`progress.unit` to be a non-empty string, got `5` \(number\)/],
      [{ unit: '' }, RangeError, /`progress.unit` to be a non-empty string, got `""` \(string\)/],
      [{ format: () => 'line' }, TypeError, /`progress.format` to be a string, got a function/],
      [{ barsize: 0 }, RangeError, /`progress.barsize` to be an integer from 1 up, got `0`/],
      [{ barsize: '20' }, TypeError, /`progress.barsize` to be an integer from 1 up, got `"20"` \(string\)/],
      [{ barCompleteChar: '==' }, RangeError, /`progress.barCompleteChar` to be a single character, got `"=="`/],
      [{ barIncompleteChar: 0 }, TypeError, /`progress.barIncompleteChar` to be a single character, got `0`/],
      [{ fps: 0 }, RangeError, /`progress.fps` to be a number above 0, got `0`/],
      [{ notTTYSchedule: Number.POSITIVE_INFINITY }, RangeError, /`progress.notTTYSchedule` .* got `Infinity`/],
      // Node runs an interval longer than 2^31 - 1 ms every 1 ms: a plain line a millisecond.
      [{ notTTYSchedule: 2 ** 31 }, RangeError, /`progress.notTTYSchedule` to be at most 2147483647 ms/],
      [{ fps: Number.POSITIVE_INFINITY }, RangeError, /`progress.fps` to be a number above 0, got `Infinity`/],
      [{ stream: {} }, TypeError, /`progress.stream` to be a writable stream, got an object \(Object\)/],
      [{ hideCursor: 'yes' }, TypeError, /`progress.hideCursor` to be a boolean, got `"yes"`/],
      [{ clearOnComplete: 1 }, TypeError, /`progress.clearOnComplete` to be a boolean, got `1`/],
      [{ patchConsole: 'on' }, TypeError, /`progress.patchConsole` to be a boolean, got `"on"`/],
    ])('a bad value is named with the value it got: %o', (progress, Kind, message) => {
      expect(withProgress(progress)).toThrow(Kind);
      expect(withProgress(progress)).toThrow(message);
    });

    it('`progress` itself is a boolean or an object', () => {
      expect(withProgress('on')).toThrow(/`progress` to be a boolean or an object of bar options, got `"on"`/);
      expect(withProgress([])).toThrow(
        /`progress` to be a boolean or an object of bar options, got an object \(Array\)/,
      );
    });

    it('a Pool checks the bar options it keeps for its maps', async () => {
      expect(() => new m.Pool(f, { nJobs: 2, progress: { unit: 7 } } as never)).toThrow(/`progress.unit`/);
      const pool = new m.Pool(f, { nJobs: 2 });
      expect(() => pool.map([1], { progress: { barsize: -1 } })).toThrow(RangeError);
      await pool.close();
    });
  });
}
