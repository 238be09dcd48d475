// Helpers of docs.test.ts: find the fenced code blocks of a Markdown page, and check that a block is
// an excerpt of the file it names.

/** What a block claims to show, from an HTML comment on the line before its fence. */
export interface Marker {
  /** `example`: the block is code from this file. `output`: it is what this file prints (or contains). */
  kind: 'example' | 'output';
  /** A path from the repository's root. */
  target: string;
  /** For `output` of an example: which stream it shows (default stdout). */
  stream: 'stdout' | 'stderr';
  /** `masked`: figures are compared as `#`, for output whose figures change from run to run. */
  masked: boolean;
}

export interface Block {
  /** The Markdown file, from the repository's root, and the line of the opening fence (1-based). */
  where: string;
  lang: string;
  marker: Marker | undefined;
  lines: string[];
}

const fence = /^\s*(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const markerLine = /^\s*<!--\s*(example|output):\s*(\S+)((?:\s+(?:stdout|stderr|masked))*)\s*-->\s*$/;

/** The fenced code blocks of a Markdown page, with the marker comment before each, if any. */
export function parseBlocks(markdown: string, file: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i]);
    if (!open) continue;
    const [, ticks, lang] = open;
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== ticks) end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const m = before >= 0 ? markerLine.exec(lines[before]) : null;
    blocks.push({
      where: `${file}:${i + 1}`,
      lang,
      marker: m
        ? {
            kind: m[1] as Marker['kind'],
            target: m[2],
            stream: m[3].includes('stderr') ? 'stderr' : 'stdout',
            masked: m[3].includes('masked'),
          }
        : undefined,
      lines: lines.slice(i + 1, end),
    });
    i = end;
  }
  return blocks;
}

/** A line that stands for lines left out of an excerpt. */
export const isElision = (line: string) => /^(\/\/|#)?\s*\.\.\.$|^\/\*\s*\.\.\.\s*\*\/$/.test(line.trim());

/** Digits (and numbers with separators) replaced, for output whose figures change from run to run. */
export const maskNumbers = (line: string) => line.replace(/\d+(?:[.,]\d+)*/g, '#');

/**
 * Checks that `block` is an excerpt of `source`: its non-blank lines, trimmed, appear in `source`
 * (non-blank lines, trimmed) as consecutive lines, in order; an elision line (`// ...`) in the block
 * may stand for any number of lines. Returns undefined when it is, else what is wrong.
 */
export function excerptProblem(block: string[], source: string[], normalise = (s: string) => s): string | undefined {
  const clean = (lines: string[]) => lines.map((line) => normalise(line.trim())).filter((line) => line !== '');
  const haystack = clean(source);
  const segments: string[][] = [[]];
  for (const line of block) {
    if (isElision(line)) segments.push([]);
    else if (line.trim() !== '') segments[segments.length - 1].push(normalise(line.trim()));
  }
  let from = 0;
  for (const segment of segments) {
    if (segment.length === 0) continue;
    let at = -1;
    for (let start = from; start + segment.length <= haystack.length && at < 0; start++) {
      if (segment.every((line, k) => haystack[start + k] === line)) at = start;
    }
    if (at < 0) {
      // Name the first line of the segment that breaks it, for a useful failure message.
      let longest = 0;
      for (let start = from; start < haystack.length; start++) {
        let k = 0;
        while (k < segment.length && haystack[start + k] === segment[k]) k++;
        longest = Math.max(longest, k);
      }
      return `this line is not found${longest > 0 ? ' after the lines before it' : ''}: ${JSON.stringify(segment[longest])}`;
    }
    from = at + segment.length;
  }
  return undefined;
}

/** The npm scripts a shell line runs (`npm run x`, `pnpm run x`, `npm test`). */
export function scriptsRun(line: string): string[] {
  const names: string[] = [];
  for (const command of line.replace(/#.*$/, '').split(/&&|\|\||;|\|/)) {
    const words = command.trim().split(/\s+/);
    if ((words[0] === 'npm' || words[0] === 'pnpm') && words[1] === 'run' && words[2]) names.push(words[2]);
    if (words[0] === 'npm' && (words[1] === 'test' || words[1] === 't')) names.push('test');
  }
  return names;
}

/** Paths inside this repository that a shell line names (docs/…, examples/…, scripts/…, …). */
export function repoPathsNamed(line: string): string[] {
  return [...line.matchAll(/(?:^|[\s'"=(])((?:docs|examples|scripts|bench|compat|packages)\/[\w./-]*\w)/g)].map(
    (m) => m[1],
  );
}

/** Relative link targets of a Markdown page (`[text](path)`), without anchors; web and mail links left out. */
export function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1].replace(/#.*$/, ''))
    .filter((target) => target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target));
}
