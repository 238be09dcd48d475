import type { Options as BarOptions, GenericFormatter, MultiBar, SingleBar } from 'cli-progress';
// The default import: Node finds `Format` among a CommonJS module's named exports only through it.
import cliProgress from 'cli-progress';

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
  setting: boolean | BarOptions | undefined,
  desc: string | undefined,
  total: number | undefined,
): Progress | undefined {
  const options: BarOptions = typeof setting === 'object' ? setting : {};
  const stream = options.stream ?? process.stderr;
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  if (setting === false || (setting === undefined && !tty)) return undefined;
  const count = new Count(desc, total);
  if (!tty) return plainLines(stream, count, options.notTTYSchedule ?? PLAIN_EVERY_MS);
  let bars = terminals.get(stream);
  if (!bars) {
    bars = new TerminalBars(stream);
    terminals.set(stream, bars);
  }
  return bars.add(count, options);
}

/** One map's counts, which the tick only stores: drawing reads them on its own schedule. */
class Count {
  done = 0;
  failed = 0;
  finished = false;
  readonly startedAt = performance.now();

  constructor(
    readonly desc: string | undefined,
    readonly total: number | undefined,
  ) {}

  update(done: number, failed: number): void {
    this.done = done;
    this.failed = failed;
  }

  /** The values the line shows besides the count: `{rate}`, `{timing}` and `{failed}` in a format. */
  payload(): { rate: string; timing: string; failed: string } {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = this.done / Math.max(seconds, 1e-3);
    let timing = formatSeconds(seconds);
    if (!this.finished && this.total !== undefined) {
      const left = Math.max(this.total - this.done, 0);
      timing += `, ETA ${rate > 0 ? formatSeconds(left / rate) : '?'}`;
    }
    return { rate: formatRate(rate), timing, failed: this.failed ? ` | ${this.failed} failed` : '' };
  }

  /** The line for a stream that is not a terminal: no bar, no escape codes. */
  plainLine(): string {
    const { rate, timing, failed } = this.payload();
    const { done, total } = this;
    const shown = total === undefined ? `${done} done` : `${done}/${total} (${percent(done, total)}%)`;
    return `${this.desc ? `${this.desc}: ` : ''}${shown} | ${rate}/s | ${timing}${failed}`;
  }
}

const percent = (done: number, total: number) =>
  total === 0 ? 100 : Math.floor((Math.min(done, total) / total) * 100);

function formatSeconds(s: number): string {
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad((s % 3600) / 60)}m`;
}

function formatRate(r: number): string {
  if (r >= 1e6) return `${(r / 1e6).toFixed(1)}M`;
  if (r >= 1e4) return `${(r / 1e3).toFixed(1)}k`;
  return r >= 10 ? String(Math.round(r)) : r.toFixed(1);
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

const terminals = new Map<NodeJS.WritableStream, TerminalBars>();

/** A map's live line: its counts, and the text last drawn for it. */
interface Line {
  count: Count;
  text: string;
  /** `clearOnComplete`: the line goes away when the map ends, instead of staying as a record. */
  clear: boolean;
}

/**
 * The live lines of one terminal: a cli-progress MultiBar shared by every map drawing there at the
 * time, so that maps running at once each keep a line. A map that ends leaves its last line above
 * the live ones; when none is left the MultiBar stops, and the next map starts a new one.
 */
class TerminalBars {
  #multibar: MultiBar | undefined;
  #lines = new Map<SingleBar, Line>();

  constructor(readonly stream: NodeJS.WritableStream) {}

  add(count: Count, options: BarOptions): Progress {
    this.#multibar ??= this.#open(options);
    const multibar = this.#multibar;
    const line: Line = { count, text: '', clear: options.clearOnComplete === true };
    const format = recordingFormat(count, options.format, (text) => {
      line.text = text;
    });
    const bar = multibar.create(count.total ?? 0, 0, count.payload(), { ...options, format });
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

  #open(options: BarOptions): MultiBar {
    const multibar = new cliProgress.MultiBar(
      {
        fps: 10,
        barsize: 30,
        // Neither the cursor nor line wrapping is switched off: a process killed mid-map could not switch them back.
        hideCursor: false,
        linewrap: true,
        ...options,
        stream: this.stream,
        stopOnComplete: false,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    multibar.on('update-pre', () => {
      for (const [bar, { count }] of this.#lines) bar.update(count.done, count.payload());
    });
    multibar.on('update-post', () => unrefRedrawTimer(multibar));
    process.on('exit', this.#finishAll);
    return multibar;
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
    if (this.#lines.size > 0) return;
    multibar.stop();
    this.#multibar = undefined;
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

/** The format of a map's line (ours, or the one in `progress.format`), which also records what it drew. */
function recordingFormat(
  count: Count,
  given: string | GenericFormatter | undefined,
  record: (text: string) => void,
): GenericFormatter {
  const label = count.desc ? `${count.desc}: ` : '';
  const template =
    typeof given === 'string'
      ? given
      : count.total === undefined
        ? `${label}{value} done | {rate}/s | {timing}{failed}`
        : `${label}{bar} {percentage}% | {value}/{total} | {rate}/s | {timing}{failed}`;
  return (options, params, payload) => {
    const text =
      typeof given === 'function'
        ? given(options, params, payload)
        : cliProgress.Format.Formatter({ ...options, format: template }, params, payload);
    record(text);
    return text;
  };
}
