import { formatWithOptions } from 'node:util';
import { checkObject, checkString, checkWritable } from '../options/check.js';

/**
 * Options of {@link write}.
 *
 * @example
 * import { write } from '@mtl/threads';
 * write('3 files skipped', { stream: process.stderr });
 */
export interface WriteOptions {
  /**
   * Where the line goes. Bars live on the same terminal are lifted out of its way: bars drawn on this
   * stream, and, when it is a terminal, bars on stdout or stderr if it is one of them.
   * @default process.stdout
   * @example write('a warning', { stream: process.stderr })
   */
  stream?: NodeJS.WritableStream;
}

/** Lines a map draws on a terminal and redraws in place: `write` clears them, writes, and draws them again. */
export interface LiveLines {
  readonly stream: NodeJS.WritableStream;
  /** Clears the lines; the cursor is left where the first one was. */
  hide(): void;
  /** Draws the lines again, from the cursor. */
  show(): void;
}

/**
 * What every copy of this module in the process shares: the CommonJS build has one in each entry
 * point, and an application may load both builds. A `write` from one must see the bars of the other.
 */
interface Shared {
  live: Set<LiveLines>;
  /** Maps live that asked for `patchConsole`; the console is patched while there is one. */
  consoleHolds: number;
  /** The console methods replaced, with what they were. */
  patched: Map<ConsoleMethod, { original: Console[ConsoleMethod]; patch: Console[ConsoleMethod] }>;
}

const key = Symbol.for('@mtl/core progress v1');
const scope = globalThis as { [key]?: Shared };
scope[key] ??= { live: new Set(), consoleHolds: 0, patched: new Map() };
const shared: Shared = scope[key];

/** Starts redrawing `lines` around every `write`; returns the call that stops it. */
export function trackLiveLines(lines: LiveLines): () => void {
  shared.live.add(lines);
  return () => shared.live.delete(lines);
}

const standard = (stream: NodeJS.WritableStream) => stream === process.stdout || stream === process.stderr;

/** Whether writing to `target` lands among the lines drawn on `drawn` (tqdm's rule for stdout and stderr). */
const sharesScreen = (drawn: NodeJS.WritableStream, target: NodeJS.WritableStream) =>
  drawn === target || (standard(drawn) && standard(target) && (target as { isTTY?: boolean }).isTTY === true);

/**
 * Prints a line without breaking the progress bars: bars live on the same terminal are cleared, the
 * line is written (with a newline added) and the bars are drawn again below it. With no bar live, it
 * just writes the line. Like tqdm's `tqdm.write`, it writes to stdout unless told otherwise, so that
 * redirected output (`> out.txt`) keeps the lines while the bars stay on the terminal (stderr).
 * `console.log` in the middle of a map would land on the bar's line; use this, or the bar option
 * `patchConsole: true`.
 *
 * @example
 * import { pqdm, write } from '@mtl/threads';
 * for await (const page of pqdm(urls, fetchPage, { desc: 'pages' })) {
 *   if (page.status !== 200) write(`${page.url}: ${page.status}`); // above the bar, which stays whole
 * }
 */
export function write(text: string, options: WriteOptions = {}): void {
  checkString('text', text);
  const { stream: given = process.stdout } = checkObject(options, 'options') as WriteOptions;
  const stream = checkWritable('stream', given);
  const moved = [...shared.live].filter((lines) => sharesScreen(lines.stream, stream));
  for (const lines of moved) lines.hide();
  try {
    stream.write(`${text}\n`);
  } finally {
    for (const lines of moved) lines.show();
  }
}

type ConsoleMethod = 'log' | 'info' | 'debug' | 'warn' | 'error';

/** The console methods `patchConsole` routes through `write`, and the stream each writes to (as Node's console). */
const consoleStreams: Record<ConsoleMethod, () => NodeJS.WriteStream> = {
  log: () => process.stdout,
  info: () => process.stdout,
  debug: () => process.stdout,
  warn: () => process.stderr,
  error: () => process.stderr,
};

/**
 * Routes the console through `write` until the returned call (the `patchConsole` bar option). Holds
 * are counted: the console is restored when the last one is let go, and only the methods that are
 * still ours (something that patched the console after us keeps its patch).
 */
export function holdConsole(): () => void {
  if (shared.consoleHolds++ === 0) {
    for (const [name, streamOf] of Object.entries(consoleStreams) as [ConsoleMethod, () => NodeJS.WriteStream][]) {
      const original = console[name];
      const patch = (...args: unknown[]) => {
        const stream = streamOf();
        write(formatWithOptions({ colors: stream.isTTY && stream.hasColors() }, ...args), { stream });
      };
      shared.patched.set(name, { original, patch });
      console[name] = patch;
    }
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    if (--shared.consoleHolds > 0) return;
    for (const [name, { original, patch }] of shared.patched) if (console[name] === patch) console[name] = original;
    shared.patched.clear();
  };
}
