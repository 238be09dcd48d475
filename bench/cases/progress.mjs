// One sample of the progress case (suite/progress.mjs), in a fresh process: `await pool.map(xs, options)`
// of `x => x*x` over --n items on a warmed-up Pool of --jobs threads, the progress display given by
// --progress (off | bar | bar+onProgress). The bar must really draw, so this re-runs itself on a
// pseudo-terminal (util-linux `script`), which writes the sample to a file; then it prints the sample
// as its one JSON line.
//   node bench/cases/progress.mjs --progress bar [--n 2000000] [--jobs 2]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from '@mtl/threads';
import { caseArgs } from '../lib/harness.mjs';
import { check, inputs } from './tasks.mjs';

const a = caseArgs();
const n = Number(a.n ?? 2_000_000);
const jobs = Number(a.jobs ?? 2);
let last = 0;
const variants = {
  off: { disable: true },
  bar: { progress: true },
  'bar+onProgress': {
    progress: true,
    onProgress: (done) => {
      last = done;
    },
  },
};
const variant = a.progress;
if (!(variant in variants)) throw new Error(`--progress must be one of ${Object.keys(variants).join(', ')}`);

if (a['pty-out'] === undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'mtl-bench-progress-'));
  const out = join(dir, 'sample.json');
  const self = [fileURLToPath(import.meta.url), ...process.argv.slice(2), '--pty-out', out];
  const command = [process.execPath, ...self].map((word) => `'${word}'`).join(' ');
  execFileSync('script', ['-qfec', `stty cols 100 rows 40; exec ${command}`, '/dev/null'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.stdout.write(`${readFileSync(out, 'utf8')}\n`);
  rmSync(dir, { recursive: true });
} else {
  if (variant !== 'off' && !process.stderr.isTTY) throw new Error('the bar needs stderr on a terminal');
  const pool = new Pool((x) => x * x, { nJobs: jobs });
  await pool.map(inputs('trivial', 1000), { disable: true });
  const xs = inputs('trivial', n);
  const t0 = performance.now();
  const results = await pool.map(xs, variants[variant]);
  const ms = performance.now() - t0;
  check('trivial', xs, results);
  if (variant === 'bar+onProgress' && last !== n) throw new Error(`onProgress saw ${last} of ${n} results`);
  await pool.close();
  writeFileSync(a['pty-out'], JSON.stringify({ progress: variant, n, ms, rate: (n / ms) * 1000 }));
}
