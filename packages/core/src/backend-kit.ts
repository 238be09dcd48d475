import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The path of a backend's worker entry file, shipped beside its code; a clear error when it is not
 * there, which is what happens when the backend is bundled into an app without it.
 */
export function workerEntry(url: URL, backend: string): string {
  const path = fileURLToPath(url);
  if (existsSync(path)) return path;
  throw new Error(
    `${backend}: its worker entry ${path} is missing, so no worker can start. This happens when ${backend} is bundled into an app: keep @mtl/* external in the bundler, or copy node_modules/${backend}/dist/${basename(path)} beside the bundle.`,
  );
}

/** Flags of the parent that make no sense in a worker (and make it fail to start); some take a value. */
const parentOnlyFlag = /^(--input-type|--eval|-e|--print|-p|--interactive|-i|--test|--watch|--check|-c)(=|$)/;
const takesValue = new Set(['--eval', '-e', '--print', '-p', '--input-type']);

/** The parent's Node flags, less those that only apply to the parent's own entry point. */
export function inheritedExecArgv(): string[] {
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (!parentOnlyFlag.test(argv[i])) flags.push(argv[i]);
    else if (takesValue.has(argv[i])) i++;
  }
  return flags;
}
