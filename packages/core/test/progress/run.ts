import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { write } from '@mtl/core';
import type { BackendUnderTest } from '../conformance/backend.js';

/** What the progress suite needs from a backend package. */
export type ProgressBackend = Pick<BackendUnderTest, 'name' | 'entryUrl' | 'pqdm' | 'Pool'> & { write: typeof write };

/** What a terminal shows once all of a program's output is written (see screen.mjs). */
export interface Screen {
  lines: string[];
  cursorVisible: boolean;
  autowrap: boolean;
  row: number;
  col: number;
}

const screenModule = new URL('./screen.mjs', import.meta.url).href;
const { playTerminal } = (await import(screenModule)) as { playTerminal: (raw: string, columns: number) => Screen };

export { playTerminal };

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'mtl-progress-'));
let scripts = 0;

/** Writes a module that imports the backend as `m`, followed by `body`; returns its path. */
function writeScript(m: ProgressBackend, body: string): string {
  const file = join(dir, `script-${scripts++}.mjs`);
  writeFileSync(file, `import * as m from ${JSON.stringify(m.entryUrl)};\n${body}\n`);
  return file;
}

/** util-linux `script` gives a program a pseudo-terminal; without it the terminal tests are skipped. */
export const hasPty = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

export const COLUMNS = 100;

/**
 * Runs `body` with stdout and stderr on a pseudo-terminal of `columns` columns (stdout elsewhere with
 * `stdoutTo`); resolves with what it wrote there, and the screen it leaves.
 */
export async function inTerminal(
  m: ProgressBackend,
  body: string,
  { stdoutTo, columns = COLUMNS }: { stdoutTo?: string; columns?: number } = {},
): Promise<{ raw: string; screen: Screen }> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const redirect = stdoutTo ? ` > ${quote(stdoutTo)}` : '';
  const command = `stty cols ${columns} rows 40; exec ${quote(process.execPath)} ${quote(writeScript(m, body))}${redirect}`;
  try {
    const { stdout } = await run('script', ['-qfec', command, '/dev/null'], { timeout: 20_000 });
    return { raw: stdout, screen: playTerminal(stdout, columns) };
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new Error(`the script failed in the terminal:\n${playTerminal(output, columns).lines.join('\n')}`, {
      cause: error,
    });
  }
}

/** Runs `body` with stdout and stderr on pipes (not terminals), as in CI. */
export async function inPipes(m: ProgressBackend, body: string): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [writeScript(m, body)], { timeout: 20_000 });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences start with ESC.
const CSI = /\x1b\[([?\d;]*)([@-~])/g;

/** Terminal output without its escape codes. */
export const plain = (raw: string) => raw.replace(CSI, '');

/** Every piece of text written between escape codes, without carriage returns: each line as it was drawn. */
export const drawn = (raw: string) =>
  raw
    .replace(CSI, '\n')
    .split(/\r?\n/)
    .map((text) => text.replaceAll('\r', ''))
    .filter(Boolean);

/** Where each redraw of several lines starts: at a move of the cursor up. */
export const redraws = (raw: string) =>
  [...raw.matchAll(CSI)].filter(([, , command]) => command === 'A').map((match) => match.index);

/** A worker that takes `ms` per item, so that the bar is drawn a few times while a map runs. */
export const slowly = (ms: number) => `(x) => new Promise((resolve) => setTimeout(() => resolve(x), ${ms}))`;
