// Trivial tasks (x => x*x) over 100,000 items with 2 workers: @mtl/threads against tinypool and piscina.
// Every measurement is a fresh `node bench/cases/<case>.mjs` process; cases are interleaved, --runs times.
// Usage: node bench/trivial.mjs [--runs 5] [--n 100000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { interleave, loadNote, machineInfo, median, ms, rate, ratio, summary, table } from './lib/harness.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, n: { type: 'string', default: '100000' } },
});
const runs = Number(values.runs);
const n = Number(values.n);

const runners = [
  { id: 'mtl', label: '@mtl/threads `pqdm` / `Pool#map`', file: 'cases/mtl.mjs', args: [] },
  { id: 'tinypool', label: 'tinypool, all at once', file: 'cases/tinypool.mjs', args: ['--window', 0] },
  { id: 'tinypool-w8', label: 'tinypool, window 8', file: 'cases/tinypool.mjs', args: ['--window', 8] },
  { id: 'piscina', label: 'piscina, all at once', file: 'cases/piscina.mjs', args: ['--window', 0] },
];
const modes = ['cold', 'warm'];
const cases = modes.flatMap((mode) =>
  runners.map((r) => ({ id: `${r.id}/${mode}`, file: r.file, args: [...r.args, '--mode', mode, '--n', n] })),
);

const samples = interleave(cases, runs);
const rates = (id) => samples[id].map((s) => s.rate);
/** mtl/peer, run by run: both figures come from the same round of the interleaving. */
const ratios = (peer, mode) => samples[`mtl/${mode}`].map((s, i) => s.rate / samples[`${peer}/${mode}`][i].rate);

const rows = runners.map((r) => [
  r.label,
  ...modes.flatMap((mode) => [
    summary(rates(`${r.id}/${mode}`), rate),
    r.id === 'mtl' ? '—' : summary(ratios(r.id, mode), ratio),
  ]),
]);
const header = ['runner', 'cold items/s', 'mtl/peer cold', 'warm items/s', 'mtl/peer warm'];
const settled = median(samples['mtl/cold'].map((s) => s.settledMs));
const coldMs = median(samples['mtl/cold'].map((s) => s.ms));

const markdown = `# Trivial tasks: ${n.toLocaleString('en-US')} × \`x => x*x\`, 2 workers

Command: \`node bench/trivial.mjs --runs ${runs} --n ${n}\` (each cell: median (min–max) of ${runs} fresh processes, cases interleaved).

${table(header, rows)}

- **cold**: from pool construction (\`pqdm(...)\` call, \`new Tinypool\`, \`new Piscina\`) to the last result, start-up included.
  For \`pqdm\` "last result" is when the last item is handed over (\`onProgress\`); \`await pqdm(...)\` settles
  after the workers have also stopped: median ${ms(settled)} ms against ${ms(coldMs)} ms to the last result.
- **warm**: after a warm-up of 1,000 items on the same pool (mtl: \`new Pool(fn, { nJobs: 2 })\`, \`await pool.map(xs)\`).
- mtl batches many items per message (\`batchSize: 'auto'\`); tinypool and piscina send one task per message.
- mtl/peer is computed run by run (mtl and the peer from the same round), then summarised.
${loadNote(samples)}

Machine:
${machineInfo(['@mtl/threads', 'tinypool', 'piscina'])}
`;

process.stdout.write(markdown);
mkdirSync(new URL('results/raw/', import.meta.url), { recursive: true });
writeFileSync(new URL('results/trivial.md', import.meta.url), markdown);
writeFileSync(new URL('results/raw/trivial.json', import.meta.url), `${JSON.stringify(samples, null, 1)}\n`);
