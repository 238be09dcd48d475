import { fileURLToPath } from 'node:url';
import { describeValue } from '../describe.js';
import { checkFunction, checkObject, keysOf } from './check.js';
import { checkKnownKeys } from './suggest.js';

/**
 * `checkpoint`: finished results are appended to `file`; a later map with the same file yields them in
 * place without running their items again, and runs the rest.
 */
export interface CheckpointOptions {
  /** The file (a path or a `file:` URL); created when missing. */
  file: string | URL;
  /**
   * What identifies an item across runs. Default: its position in the input, which is right when the
   * input is the same from one run to the next.
   */
  key?: (item: never, index: number) => string;
}

export interface ResolvedCheckpoint {
  file: string;
  key: (item: unknown, index: number) => string;
}

const names = keysOf<CheckpointOptions>()(['file', 'key']);

const byPosition = (_item: unknown, index: number) => String(index);

/** Validates `checkpoint`. */
export function resolveCheckpoint(checkpoint: unknown): ResolvedCheckpoint {
  const given = checkObject(checkpoint, 'checkpoint') as Partial<CheckpointOptions>;
  checkKnownKeys(given, names, 'checkpoint');
  const { file, key } = given;
  let path: string;
  if (file instanceof URL) path = fileURLToPath(file);
  else if (typeof file === 'string' && file.length > 0) path = file.startsWith('file:') ? fileURLToPath(file) : file;
  else throw new TypeError(`Expected \`checkpoint.file\` to be a path or a file: URL, got ${describeValue(file)}`);
  if (key !== undefined) checkFunction('checkpoint.key', key);
  return { file: path, key: (key as ResolvedCheckpoint['key'] | undefined) ?? byPosition };
}
