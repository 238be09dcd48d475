// The set-up behind `npm run demo` and `npm test` on a fresh clone with only Node and npm:
// install the workspace with pnpm (through npx when pnpm is not installed), then build the packages.
import { execSync } from 'node:child_process';

const has = (command) => {
  try {
    execSync(`${command} --version`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const pnpm = has('pnpm') ? 'pnpm' : 'npx --yes pnpm@10.34.8';
const run = (args) => execSync(`${pnpm} ${args}`, { stdio: ['ignore', 'inherit', 'inherit'] });

run('install --frozen-lockfile --reporter=append-only');
run('run build');
