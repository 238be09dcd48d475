import { stripVTControlCharacters } from 'node:util';

/** How the bar itself is drawn. */
export interface BarStyle {
  /** The widest the bar may be; the default line makes it shorter to fit. */
  barsize: number;
  barCompleteChar: string;
  barIncompleteChar: string;
}

/** The bar for `fraction` done, `size` characters wide (rounded as cli-progress does). */
export function drawBar(fraction: number, size: number, style: BarStyle): string {
  const complete = Math.round(Math.min(Math.max(fraction, 0), 1) * size);
  return style.barCompleteChar.repeat(complete) + style.barIncompleteChar.repeat(size - complete);
}

/** The tokens mtl adds to those of cli-progress in a `format`. */
export interface Tokens {
  desc: string;
  unit: string;
  rate: string;
  timing: string;
  failed: string;
}

/** One map's counts, which the tick only stores: drawing reads them on its own schedule. */
export class Count {
  done = 0;
  failed = 0;
  finished = false;
  readonly startedAt = performance.now();

  constructor(
    readonly desc: string | undefined,
    readonly total: number | undefined,
    readonly unit: string | undefined,
  ) {}

  update(done: number, failed: number): void {
    this.done = done;
    this.failed = failed;
  }

  /** The texts a line is made of, as they stand now. */
  parts(): Parts {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = this.done / Math.max(seconds, 1e-3);
    const { done, total, unit } = this;
    let eta: string | undefined;
    if (!this.finished && total !== undefined) {
      eta = `ETA ${rate > 0 ? formatSeconds(Math.max(total - done, 0) / rate) : '?'}`;
    }
    const fraction = total === undefined ? undefined : total === 0 ? 1 : Math.min(done, total) / total;
    const counted = total === undefined ? `${done}` : `${done}/${total}`;
    return {
      desc: this.desc ?? '',
      fraction,
      percent: fraction === undefined ? undefined : `${Math.floor(fraction * 100)}%`,
      count: unit ? `${counted} ${unit}` : total === undefined ? `${counted} done` : counted,
      rate: `${formatRate(rate)}${unit ? ` ${unit}` : ''}/s`,
      elapsed: formatSeconds(seconds),
      eta,
      failed: this.failed ? `${this.failed} failed` : undefined,
    };
  }

  /** The values of mtl's tokens in a `format`: `{desc}`, `{unit}`, `{rate}`, `{timing}`, `{failed}`. */
  tokens(): Tokens {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const { elapsed, eta, failed } = this.parts();
    return {
      desc: this.desc ?? '',
      unit: this.unit ?? '',
      rate: formatRate(this.done / Math.max(seconds, 1e-3)),
      timing: eta ? `${elapsed}, ${eta}` : elapsed,
      failed: failed ? ` | ${failed}` : '',
    };
  }

  /** The line for a stream that is not a terminal: no bar, no escape codes, no width to fit. */
  plainLine(): string {
    const { desc, percent, count, rate, elapsed, eta, failed } = this.parts();
    const shown = percent === undefined ? count : `${count} (${percent})`;
    const fields = [shown, rate, eta ? `${elapsed}, ${eta}` : elapsed, failed];
    return `${desc ? `${desc}: ` : ''}${fields.filter(Boolean).join(' | ')}`;
  }

  /** The default line on a terminal, at most `width` characters wide (see LineFitter). */
  line(width: number, style: BarStyle): string {
    return this.#fitter.fit(this.parts(), width, style, this.finished);
  }

  #fitter = new LineFitter();
}

/**
 * Fits the successive lines of one map (see fitLine). While the map runs on a terminal of the same
 * width, a part once dropped stays dropped and the bar never grows back, so the line does not flicker
 * as its figures change length. A new width, or the last line (`last`), gets a fresh fit.
 */
export class LineFitter {
  #kept: { width: number; fit: Fit } | undefined;

  fit(parts: Parts, width: number, style: BarStyle, last = false): string {
    const from = !last && this.#kept?.width === width ? this.#kept.fit : undefined;
    const { text, fit } = fitLine(parts, width, style, from);
    this.#kept = { width, fit };
    return text;
  }
}

/** The pieces of a map's line, as text (the bar as the fraction it shows). */
export interface Parts {
  desc: string;
  /** Done over total; undefined without a total. */
  fraction: number | undefined;
  percent: string | undefined;
  count: string;
  rate: string;
  elapsed: string;
  /** `ETA 0.9s` while a sized map runs. */
  eta: string | undefined;
  failed: string | undefined;
}

/** What a narrow terminal drops from the line, first to last, once the bar is as short as it goes. */
const DROPPED_IN_TURN = ['rate', 'elapsed', 'bar', 'percent', 'eta'] as const;
type Droppable = (typeof DROPPED_IN_TURN)[number];

/** The bar shrinks down to this many characters before the text makes room for it. */
const SHORTEST_BAR = 10;

/** How far a line was fitted: how many parts were dropped in turn, and the bar's size. */
export interface Fit {
  turn: number;
  barSize: number;
}

/**
 * The default line, fitted to `width`: `desc: <bar> 56% | 113544/200000 | 100.2k/s | 1.1s, ETA 0.9s`
 * (unsized: `desc: 5120 done | 3.2k/s | 1.6s`), and ` | 2 failed` when items failed. When it is too
 * wide, the bar shrinks (to 10 characters), then the rate goes, then the elapsed time (while an ETA is
 * shown), the bar, the percentage, the time; then the desc is shortened, and at last the line is cut.
 * The count and the failures stay. `from`: start from an earlier fit, dropping no less.
 */
export function fitLine(parts: Parts, width: number, style: BarStyle, from?: Fit): { text: string; fit: Fit } {
  const compose = (dropped: ReadonlySet<Droppable>, barSize: number, desc = parts.desc) => {
    const has = (part: Droppable) => !dropped.has(part);
    const head: string[] = [];
    if (parts.fraction !== undefined && has('bar')) head.push(drawBar(parts.fraction, barSize, style));
    if (parts.percent !== undefined && has('percent')) head.push(parts.percent);
    // With no ETA the elapsed time is the only time shown: it goes with the ETA's turn.
    const elapsed = has(parts.eta === undefined ? 'eta' : 'elapsed') ? parts.elapsed : undefined;
    const eta = has('eta') ? parts.eta : undefined;
    const fields = [
      head.join(' '),
      parts.count,
      has('rate') ? parts.rate : '',
      [elapsed, eta].filter(Boolean).join(', '),
      parts.failed ?? '',
    ];
    return `${desc ? `${desc}: ` : ''}${fields.filter(Boolean).join(' | ')}`;
  };
  const longest = Math.min(style.barsize, from?.barSize ?? style.barsize);
  const shortest = Math.min(SHORTEST_BAR, style.barsize);
  for (let turn = from?.turn ?? 0; turn <= DROPPED_IN_TURN.length; turn++) {
    const dropped = new Set(DROPPED_IN_TURN.slice(0, turn));
    if (parts.fraction !== undefined && !dropped.has('bar')) {
      const room = width - visibleLength(compose(dropped, 0));
      const barSize = Math.min(room, longest);
      if (barSize >= shortest) return { text: compose(dropped, barSize), fit: { turn, barSize } };
    } else {
      const text = compose(dropped, 0);
      if (visibleLength(text) <= width) return { text, fit: { turn, barSize: 0 } };
    }
  }
  const dropped = new Set(DROPPED_IN_TURN);
  const fit = { turn: DROPPED_IN_TURN.length, barSize: 0 };
  const over = visibleLength(compose(dropped, 0)) - width;
  const desc = [...parts.desc];
  const keep = desc.length - over - 1;
  if (keep >= 1) return { text: compose(dropped, 0, `${desc.slice(0, keep).join('')}…`), fit };
  return { text: cut(compose(dropped, 0, ''), width), fit };
}

/** How many columns a text takes, near enough: its characters, not counting escape codes. */
export const visibleLength = (text: string): number => [...stripVTControlCharacters(text)].length;

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences start with ESC.
const ESCAPE_OR_CHARACTER = /\x1b\[[0-9;?]*[@-~]|\x1b[^[]|[\s\S]/gu;

/** The text cut to `width` columns, escape codes kept whole (and colours reset when it cut any). */
export function cut(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = '';
  let shown = 0;
  let escaped = false;
  for (const [token] of text.matchAll(ESCAPE_OR_CHARACTER)) {
    if (token.startsWith('\x1b')) {
      escaped = true;
      out += token;
    } else if (shown < width) {
      out += token;
      shown++;
    }
  }
  return escaped ? `${out}\x1b[0m` : out;
}

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
