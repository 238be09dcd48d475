// The one way every script runs pnpm: the exact version package.json's `packageManager` pins.
// A pnpm of another version (a global one, or a request for a major version only, which resolves to
// the newest release) tries to switch to the pinned one, which fails on a machine that cannot verify
// the download.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/** The pinned version, e.g. `10.34.8`. */
export const pnpmVersion = /^pnpm@(\d+\.\d+\.\d+)$/.exec(manifest.packageManager)?.[1];
if (!pnpmVersion) throw new Error(`package.json: expected packageManager "pnpm@x.y.z", got ${manifest.packageManager}`);

const installed = () => {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

/** The command and leading arguments that run the pinned pnpm: `['pnpm']` or `['npm', 'exec', ...]`. */
export const pnpm = installed() === pnpmVersion ? ['pnpm'] : ['npm', 'exec', '--yes', '--', `pnpm@${pnpmVersion}`];
