import type { Options as BarOptions, GenericFormatter, MultiBar, SingleBar } from 'cli-progress';
// The default import: Node finds `Format` among a CommonJS module's named exports only through it.
import cliProgress from 'cli-progress';
import type { ProgressOptions } from './options/progress.js';
import { type BarStyle, Count, cut, drawBar, visibleLength } from './progress/line.js';
import { holdConsole, trackLiveLines } from './progress/write.js';

/** What the scheduler tells the progress display of one map. */
export interface Progress {
  /** Results handed to the consumer so far, and how many items failed. Called once per result: keep it cheap. */
  tick(done: number, failed: number): void;
  /** The map has ended (finished, broken off, failed or aborted): show the last count and let go of the stream. */
  stop(done: number, failed: number): void;
}

/** How often a stream that is not a terminal gets a plain line, unless `notTTYSchedule` says otherwise. */
const PLAIN_EVERY_MS = 5000;

/**
 * The map's progress display, on stderr unless `progress.stream` says otherwise. On by default when
 * that stream is a terminal; `progress: true` (or an object) on another stream prints a plain line
 * now and then instead of a bar. Counts results handed to the consumer, so it is true for streaming
 * use as well as for `await`.
 */
export function createProgress(
  setting: boolean | ProgressOptions | undefined,
  desc: string | undefined,
  total: number | undefined,
): Progress | undefined {
  const options: ProgressOptions = typeof setting === 'object' ? setting : {};
  const stream = options.stream ?? process.stderr;
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  if (setting === false || (setting === undefined && !tty)) return undefined;
  const count = new Count(desc, total, options.unit);
  if (!tty) return plainLines(stream, count, options.notTTYSchedule ?? PLAIN_EVERY_MS);
  let bars = terminals.get(stream);
  if (!bars) {
    bars = new TerminalBars(stream);
    terminals.set(stream, bars);
  }
  return bars.add(count, options);
}

/** A line every `everyMs` while the count moves, and a last one when the map ends. */
function plainLines(stream: NodeJS.WritableStream, count: Count, everyMs: number): Progress {
  let shown = 0;
  const timer = setInterval(() => {
    if (count.done === shown) return;
    shown = count.done;
    stream.write(`${count.plainLine()}\n`);
  }, everyMs);
  timer.unref();
  return {
    tick: (done, failed) => count.update(done, failed),
    stop(done, failed) {
      if (count.finished) return;
      clearInterval(timer);
      count.update(done, failed);
      count.finished = true;
      stream.write(`${count.plainLine()}\n`);
    },
  };
}

// Weak: a stream of the user's, done with, must not be kept alive by the maps that once drew on it.
const terminals = new WeakMap<NodeJS.WritableStream, TerminalBars>();

/** A map's live line: its counts, and the text last drawn for it. */
interface Line {
  count: Count;
  text: string;
  /** `clearOnComplete`: the line goes away when the map ends, instead of staying as a record. */
  clear: boolean;
  /** Lets go of the console, for a map that asked for `patchConsole`. */
  releaseConsole: (() => void) | undefined;
}

/** The part of cli-progress's terminal (untyped there) that clears the lines for `write`. */
interface Terminal {
  cursorRelativeReset(): void;
  clearBottom(): void;
}

const defaultStyle: BarStyle = { barsize: 30, barCompleteChar: '\u2588', barIncompleteChar: '\u2591' };

/**
 * The live lines of one terminal: a cli-progress MultiBar shared by every map drawing there at the
 * time, so that maps running at once each keep a line. A map that ends leaves its last line above
 * the live ones; when none is left the MultiBar stops, and the next map starts a new one.
 */
class TerminalBars {
  #multibar: MultiBar | undefined;
  #lines = new Map<SingleBar, Line>();
  #untrack: (() => void) | undefined;

  constructor(readonly stream: NodeJS.WritableStream) {}

  add(count: Count, options: ProgressOptions): Progress {
    this.#multibar ??= this.#open(options);
    const multibar = this.#multibar;
    const line: Line = {
      count,
      text: '',
      clear: options.clearOnComplete === true,
      releaseConsole: options.patchConsole ? holdConsole() : undefined,
    };
    const style: BarStyle = {
      barsize: options.barsize ?? defaultStyle.barsize,
      barCompleteChar: options.barCompleteChar ?? defaultStyle.barCompleteChar,
      barIncompleteChar: options.barIncompleteChar ?? defaultStyle.barIncompleteChar,
    };
    const format = this.#format(count, style, options.format, (text) => {
      line.text = text;
    });
    const bar = multibar.create(count.total ?? 0, 0, count.tokens(), { ...style, format });
    this.#lines.set(bar, line);
    unrefRedrawTimer(multibar);
    return {
      tick: (done, failed) => count.update(done, failed),
      stop: (done, failed) => {
        count.update(done, failed);
        this.#finish(bar);
      },
    };
  }

  /** Clears the live lines, for `write`. */
  hide(): void {
    const terminal = (this.#multibar as unknown as { terminal: Terminal } | undefined)?.terminal;
    terminal?.cursorRelativeReset();
    terminal?.clearBottom();
  }

  /** Draws the live lines again, after `write`. */
  show(): void {
    this.#multibar?.update();
  }

  #open(options: ProgressOptions): MultiBar {
    const settings: BarOptions = {
      fps: options.fps ?? 10,
      // Neither the cursor nor line wrapping is switched off unless asked: a process killed mid-map could not switch them back.
      hideCursor: options.hideCursor ?? false,
      linewrap: true,
      ...defaultStyle,
      formatBar: (fraction, bar) => drawBar(fraction, bar.barsize ?? defaultStyle.barsize, bar as BarStyle),
      // A line is drawn in full at every redraw: after `write` moved them, unchanged lines must be drawn too.
      forceRedraw: true,
      stream: this.stream,
      stopOnComplete: false,
      clearOnComplete: true,
    };
    const multibar = new cliProgress.MultiBar(settings);
    multibar.on('update-pre', () => {
      for (const [bar, { count }] of this.#lines) bar.update(count.done, count.tokens());
    });
    multibar.on('update-post', () => unrefRedrawTimer(multibar));
    process.on('exit', this.#finishAll);
    this.#untrack = trackLiveLines(this);
    return multibar;
  }

  /**
   * The format of a map's line (ours, or the one in `progress.format`), which also records what it
   * drew. Either fits the terminal's width, read at each redraw, so a resized terminal gets lines of
   * its new width. The last column stays free: a line that fills it leaves the cursor in the
   * terminal's pending wrap, where cli-progress's erase-to-the-right would erase the last character.
   */
  #format(count: Count, style: BarStyle, given: string | undefined, record: (text: string) => void): GenericFormatter {
    const stream = this.stream as { columns?: number };
    return (options, params, payload) => {
      const width = Math.max((stream.columns || 80) - 1, 1);
      let text: string;
      if (given === undefined) text = count.line(width, style);
      else {
        const render = (barsize: number) =>
          cliProgress.Format.Formatter({ ...options, format: given, barsize }, params, payload);
        text = render(style.barsize);
        const over = visibleLength(text) - width;
        if (over > 0 && given.includes('{bar}')) text = render(Math.max(style.barsize - over, 0));
        text = cut(text, width);
      }
      record(text);
      return text;
    };
  }

  #finish(bar: SingleBar): void {
    const multibar = this.#multibar;
    const line = this.#lines.get(bar);
    if (!multibar || !line) return;
    line.count.finished = true;
    multibar.update(); // draws the last count, which the format records in line.text
    this.#lines.delete(bar);
    if (!line.clear) multibar.log(`${line.text}\n`);
    multibar.remove(bar);
    line.releaseConsole?.();
    if (this.#lines.size > 0) return;
    multibar.stop();
    this.#multibar = undefined;
    this.#untrack?.();
    process.off('exit', this.#finishAll);
  }

  /** At exit, maps still drawing leave their last line, and the shell's prompt starts on a line of its own. */
  #finishAll = (): void => {
    for (const bar of [...this.#lines.keys()]) this.#finish(bar);
  };
}

/** cli-progress redraws on a timer; a map its consumer walked away from must not keep the process alive. */
function unrefRedrawTimer(multibar: MultiBar): void {
  (multibar as unknown as { timer: NodeJS.Timeout | null }).timer?.unref();
}
