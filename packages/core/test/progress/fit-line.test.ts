// The order in which the default line gives up its parts as the terminal narrows, width by width (the
// pseudo-terminal tests in width.ts show the same on real terminals, where the figures move).
import { describe, expect, it } from 'vitest';
import { drawBar, fitLine, LineFitter, type Parts } from '../../src/progress/line.js';

const style = { barsize: 30, barCompleteChar: '#', barIncompleteChar: '-' };

/** Each line that a width from `widest` down to `narrowest` gets (bars of any size alike), with the widest width that gets it. */
function linesByWidth(parts: Parts, widest: number, narrowest: number): [number, string][] {
  const out: [number, string][] = [];
  for (let width = widest; width >= narrowest; width--) {
    const { text } = fitLine(parts, width, style);
    expect(text.length, `at ${width}: ${text}`).toBeLessThanOrEqual(width);
    const shape = (line: string) => line.replace(/[#-]{3,}/, 'BAR');
    if (shape(out.at(-1)?.[1] ?? '') !== shape(text)) out.push([width, text]);
  }
  return out;
}

describe('the default line on a narrowing terminal', () => {
  it('a sized map: the bar shrinks to 10, then the rate, elapsed time, bar, percentage, ETA and desc go, in turn', () => {
    const parts: Parts = {
      desc: 'lines',
      fraction: 0.5,
      percent: '50%',
      count: '100000/200000',
      rate: '100.2k/s',
      elapsed: '1.1s',
      eta: 'ETA 1.0s',
      failed: '2 failed',
    };
    expect(linesByWidth(parts, 100, 24)).toEqual([
      [100, 'lines: ###############--------------- 50% | 100000/200000 | 100.2k/s | 1.1s, ETA 1.0s | 2 failed'],
      [75, 'lines: ##########---------- 50% | 100000/200000 | 1.1s, ETA 1.0s | 2 failed'],
      [64, 'lines: ########------- 50% | 100000/200000 | ETA 1.0s | 2 failed'],
      [58, 'lines: 50% | 100000/200000 | ETA 1.0s | 2 failed'],
      [47, 'lines: 100000/200000 | ETA 1.0s | 2 failed'],
      [41, 'lines: 100000/200000 | 2 failed'],
      [30, 'lin…: 100000/200000 | 2 failed'],
      [29, 'li…: 100000/200000 | 2 failed'],
      [28, 'l…: 100000/200000 | 2 failed'],
      [27, '100000/200000 | 2 failed'],
    ]);
    // Narrower still, the line is cut.
    for (const width of [23, 14, 10])
      expect(fitLine(parts, width, style).text).toBe('100000/200000 | 2 failed'.slice(0, width));
  });

  it('an unsized map: the rate goes, then the time, then the desc', () => {
    const parts: Parts = {
      desc: 'lines',
      fraction: undefined,
      percent: undefined,
      count: '5120 done',
      rate: '3.2k/s',
      elapsed: '1.6s',
      eta: undefined,
      failed: undefined,
    };
    expect(linesByWidth(parts, 40, 12)).toEqual([
      [40, 'lines: 5120 done | 3.2k/s | 1.6s'],
      [31, 'lines: 5120 done | 1.6s'],
      [22, 'lines: 5120 done'],
      [15, 'lin…: 5120 done'],
      [14, 'li…: 5120 done'],
      [13, 'l…: 5120 done'],
      [12, '5120 done'],
    ]);
  });

  it("the README demo's line at 100, 60 and 30 columns (docs/progress.md)", () => {
    const parts: Parts = {
      desc: 'lines',
      fraction: 113544 / 200000,
      percent: '56%',
      count: '113544/200000',
      rate: '100.2k/s',
      elapsed: '1.1s',
      eta: 'ETA 0.9s',
      failed: undefined,
    };
    const shades = { barsize: 30, barCompleteChar: '█', barIncompleteChar: '░' };
    // The last column stays free: a terminal of n columns gets lines of n - 1 at most.
    const at = (columns: number) => fitLine(parts, columns - 1, shades).text;
    expect(at(100)).toBe(
      `lines: ${drawBar(parts.fraction ?? 0, 30, shades)} 56% | 113544/200000 | 100.2k/s | 1.1s, ETA 0.9s`,
    );
    expect(at(60)).toBe(`lines: ${drawBar(parts.fraction ?? 0, 15, shades)} 56% | 113544/200000 | 1.1s, ETA 0.9s`);
    expect(at(30)).toBe('lines: 113544/200000');
  });

  it('from an earlier fit at the same width, the line drops no less and the bar does not grow back', () => {
    const parts: Parts = {
      desc: 'lines',
      fraction: 0.5,
      percent: '50%',
      count: '10/20',
      rate: '9.5/s',
      elapsed: '1.1s',
      eta: 'ETA 1.0s',
      failed: undefined,
    };
    expect(fitLine(parts, 80, style).text).toBe(
      'lines: ###############--------------- 50% | 10/20 | 9.5/s | 1.1s, ETA 1.0s',
    );
    const earlier = { turn: 1, barSize: 12 };
    expect(fitLine(parts, 80, style, earlier)).toEqual({
      text: 'lines: ######------ 50% | 10/20 | 1.1s, ETA 1.0s',
      fit: { turn: 1, barSize: 12 },
    });
  });

  it("a map's lines: no part comes back at the same width; a new width and the last line are fitted afresh", () => {
    const parts = (done: number, rate: string, eta: string | undefined): Parts => ({
      desc: 'lines',
      fraction: done / 200,
      percent: `${Math.floor((done / 200) * 100)}%`,
      count: `${done}/200`,
      rate,
      elapsed: '1.1s',
      eta,
      failed: undefined,
    });
    const fitter = new LineFitter();
    // A long rate leaves the bar too little room: the rate goes, and stays gone once it is shorter.
    expect(fitter.fit(parts(20, '100.2k/s', 'ETA 9.9s'), 55, style)).toBe(
      'lines: ##---------------- 10% | 20/200 | 1.1s, ETA 9.9s',
    );
    expect(fitter.fit(parts(40, '9.5/s', 'ETA 9.9s'), 55, style)).toBe(
      'lines: ####-------------- 20% | 40/200 | 1.1s, ETA 9.9s',
    );
    // A fresh fit at that width would have kept the short rate, with a shorter bar.
    expect(fitLine(parts(40, '9.5/s', 'ETA 9.9s'), 55, style).text).toBe(
      'lines: ##-------- 20% | 40/200 | 9.5/s | 1.1s, ETA 9.9s',
    );
    // The last line, fitted afresh, without an ETA, has room for the rate again.
    expect(fitter.fit(parts(200, '9.5/s', undefined), 55, style, true)).toBe(
      'lines: ################## 100% | 200/200 | 9.5/s | 1.1s',
    );
    const resized = new LineFitter();
    resized.fit(parts(20, '100.2k/s', 'ETA 9.9s'), 55, style);
    expect(resized.fit(parts(40, '9.5/s', 'ETA 9.9s'), 80, style)).toBe(
      'lines: ######------------------------ 20% | 40/200 | 9.5/s | 1.1s, ETA 9.9s',
    );
  });
});
