// What the progress display costs: `await pool.map(xs)` of `x => x*x` over --n items on a warmed-up
// Pool of 2 threads, with the bar off, on, and on with an `onProgress` callback. Trivial items are
// where a per-item cost would show most. Every sample is a fresh process on a pseudo-terminal, so the
// bar really draws; variants are interleaved, --runs times. `off` runs twice: the difference between
// two identical variants is the noise floor the others are read against. Needs util-linux `script`.
// Usage: node bench/progress.mjs [--runs 31] [--n 2000000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { interleave, loadNote, machineInfo, median, rate, summary, table } from './lib/harness.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '31' }, n: { type: 'string', default: '2000000' } },
});
const runs = Number(values.runs);
const n = Number(values.n);

const variants = [
  { id: 'off', label: '`disable: true`' },
  { id: 'off again', progress: 'off', label: '`disable: true` again (the noise floor)' },
  { id: 'bar', label: '`progress: true`: the bar, drawn on the terminal' },
  { id: 'bar+onProgress', label: 'the bar and an `onProgress` callback' },
];
const cases = variants.map((v) => ({
  id: v.id,
  file: 'cases/progress.mjs',
  args: ['--progress', v.progress ?? v.id, '--n', n],
}));
const samples = interleave(cases, runs);

const rates = (id) => samples[id].map((s) => s.rate);
/** The change against `off`, round by round (both figures from the same round of the interleaving). */
const changes = (id) => samples[id].map((s, i) => (s.rate / samples.off[i].rate - 1) * 100);
const percent = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
const rows = variants.map((v) => [
  v.label,
  summary(rates(v.id), rate),
  v.id === 'off' ? '—' : summary(changes(v.id), percent),
]);

const markdown = `# Progress on and off: ${n.toLocaleString('en-US')} × \`x => x*x\`, warm Pool of 2 threads

Command: \`node bench/progress.mjs --runs ${runs} --n ${n}\` (each cell: median (min–max) of ${runs} fresh
processes on a pseudo-terminal, variants interleaved).

${table(['progress', 'items/s', 'against off'], rows)}

- Timed: \`await pool.map(xs, options)\` after a warm-up map of 1,000 items on the same Pool.
- "against off" is computed round by round (the variant and \`off\` from the same round), then summarised.
- Median change against off: off again ${percent(median(changes('off again')))}, bar ${percent(median(changes('bar')))}, bar and onProgress ${percent(median(changes('bar+onProgress')))}.
${loadNote(samples)}

Machine:
${machineInfo(['@mtl/threads'])}
`;

process.stdout.write(markdown);
mkdirSync(new URL('results/raw/', import.meta.url), { recursive: true });
writeFileSync(new URL('results/progress.md', import.meta.url), markdown);
writeFileSync(new URL('results/raw/progress.json', import.meta.url), `${JSON.stringify(samples, null, 1)}\n`);
