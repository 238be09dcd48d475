import {
  checkBoolean,
  checkCount,
  checkMilliseconds,
  checkObject,
  checkRate,
  checkString,
  checkWritable,
  keysOf,
} from './check.js';
import { checkKnownKeys } from './suggest.js';

/**
 * Options of the progress bar: the object form of a map's `progress` option. mtl draws the bar with
 * cli-progress and passes these on to it; they are the cli-progress options mtl supports, and mtl's
 * own (`unit`, `patchConsole`). An unknown key is a TypeError that suggests the nearest known one.
 * See docs/progress.md.
 *
 * @example
 * import { pqdm } from '@mtl/threads';
 * await pqdm(files, parse, { desc: 'parsing', progress: { unit: 'files', barsize: 20 } });
 * // parsing: ████████░░░░░░░░░░░░ 41% | 189/456 files | 52 files/s | 3.6s, ETA 5.1s
 */
export interface ProgressOptions {
  /**
   * Replaces the line with a template of your own. Tokens: cli-progress's `{bar}`, `{percentage}`,
   * `{value}`, `{total}`, `{eta}`, `{duration}`, and mtl's `{desc}`, `{unit}`, `{rate}` (results a
   * second, as `1.2k`), `{timing}` (`1.1s, ETA 0.9s`) and `{failed}` (` | 2 failed`, or nothing). On a
   * terminal too narrow for it the `{bar}` shrinks, then the line is cut at the terminal's width.
   * Default: the line described in docs/progress.md, which fits the terminal's width.
   * @example { format: '{desc} {value}/{total} {unit} [{bar}] {rate} {unit}/s{failed}' }
   */
  format?: string;
  /**
   * What the map counts, shown after the count and in the rate: `unit: 'files'` shows
   * `189/456 files | 52 files/s` (unsized: `189 files | 52 files/s`). Default: no unit
   * (`189/456 | 52/s`; unsized: `189 done | 52/s`).
   * @example { unit: 'files' }
   */
  unit?: string;
  /**
   * The bar's width in characters; on a narrow terminal the default line makes it shorter.
   * @default 30
   */
  barsize?: number;
  /** The character of the done part of the bar. @default '█' */
  barCompleteChar?: string;
  /** The character of the part to go. @default '░' */
  barIncompleteChar?: string;
  /**
   * The stream to draw on; a bar is drawn when it is a terminal (`isTTY`).
   * @default process.stderr
   */
  stream?: NodeJS.WritableStream;
  /**
   * `true`: the line goes away when the map ends, instead of staying as a record.
   * @default false
   */
  clearOnComplete?: boolean;
  /**
   * Hides the cursor while the bar is drawn; it comes back when the last map drawing on the stream
   * ends, also at `process.exit()`, but not when the process is killed by a signal. Maps that draw on
   * one stream at once share its redraws: the first to start there sets this and `fps` for all of
   * them, and a map that starts while another is drawing there gets that map's settings, not its own.
   * @default false
   */
  hideCursor?: boolean;
  /**
   * Redraws a second. On a stream where another map is already drawing, that map's rate holds (see
   * `hideCursor`).
   * @default 10
   */
  fps?: number;
  /**
   * Milliseconds between plain lines when the stream is not a terminal (and `progress` is `true` or
   * an object).
   * @default 5000
   */
  notTTYSchedule?: number;
  /**
   * `true`: while the bar is drawn, `console.log`, `info`, `debug` (to stdout) and `warn`, `error`
   * (to stderr) print through {@link write}, above the bar, instead of onto its line. Restored when
   * the last map that asked for it ends.
   * @default false
   * @example pqdm(urls, fetchJson, { progress: { patchConsole: true } }) // console.log in the loop stays readable
   */
  patchConsole?: boolean;
}

/** The keys of ProgressOptions, for the unknown-key check. */
export const progressOptionNames = keysOf<ProgressOptions>()([
  'format',
  'unit',
  'barsize',
  'barCompleteChar',
  'barIncompleteChar',
  'stream',
  'clearOnComplete',
  'hideCursor',
  'fps',
  'notTTYSchedule',
  'patchConsole',
]);

/**
 * Checks the `progress` option: a boolean, or an object of ProgressOptions (each key known, each
 * value of its type). Returns a copy without the keys given as `undefined`.
 */
export function resolveProgressOption(value: unknown): boolean | ProgressOptions {
  if (typeof value === 'boolean') return value;
  const given = checkObject(value, 'progress', 'a boolean or an object of bar options') as Record<string, unknown>;
  checkKnownKeys(given, progressOptionNames, '`progress`');
  const out: ProgressOptions = {};
  for (const name of progressOptionNames) {
    const option = given[name];
    if (option === undefined) continue;
    const path = `progress.${name}`;
    switch (name) {
      case 'format':
        out.format = checkString(path, option);
        break;
      case 'unit':
        out.unit = checkString(path, option, 'a non-empty string', (text) => text.length > 0);
        break;
      case 'barCompleteChar':
      case 'barIncompleteChar':
        out[name] = checkString(path, option, 'a single character', (text) => text.length === 1);
        break;
      case 'barsize':
        out.barsize = checkCount(path, option);
        break;
      case 'fps':
        out.fps = checkRate(path, option);
        break;
      case 'notTTYSchedule':
        out.notTTYSchedule = checkMilliseconds(path, option);
        break;
      case 'stream':
        out.stream = checkWritable(path, option);
        break;
      case 'clearOnComplete':
      case 'hideCursor':
      case 'patchConsole':
        out[name] = checkBoolean(path, option);
        break;
    }
  }
  return out;
}
