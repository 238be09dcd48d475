// The set-up behind `npm run demo` and `npm test` on a fresh clone with only Node and npm: install the
// workspace with the pinned pnpm (fetched through npm when it is not installed), then build the packages.
import { execFileSync } from 'node:child_process';
import { pnpm } from './pnpm.mjs';

const [command, ...pre] = pnpm;
const run = (...args) => execFileSync(command, [...pre, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });

run('install', '--frozen-lockfile', '--reporter=append-only');
run('run', 'build');
