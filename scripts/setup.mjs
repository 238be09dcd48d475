// The set-up behind `npm run demo` and `npm test` on a fresh clone with only Node and npm: install the
// workspace with the pinned pnpm (fetched through npm when it is not installed), then build the
// packages. Quiet: the output goes to .tmp/setup.log, and is printed only when a step fails.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pnpm } from './pnpm.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = `${root}.tmp/setup.log`;
mkdirSync(`${root}.tmp`, { recursive: true });
writeFileSync(log, '');

const [command, ...pre] = pnpm;
const step = (what, ...args) => {
  const started = performance.now();
  const { status, stdout, stderr, error } = spawnSync(command, [...pre, ...args], { cwd: root, encoding: 'utf8' });
  appendFileSync(log, `$ ${[command, ...pre, ...args].join(' ')}\n${stdout ?? ''}${stderr ?? ''}${error ?? ''}\n`);
  if (status !== 0) {
    process.stderr.write(readFileSync(log, 'utf8'));
    process.stderr.write(`\nsetup: ${what} failed (the output above is in .tmp/setup.log)\n`);
    process.exit(status ?? 1);
  }
  process.stderr.write(`setup: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
};

step('installed the workspace', 'install', '--frozen-lockfile', '--reporter=append-only');
step('built the packages', 'run', 'build');
