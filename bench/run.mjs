// The suite: mtl against its peers and the raw message floor, every figure from fresh node processes.
// Usage: node bench/run.mjs [case ...] [--quick] [--runs N] [--max-retries N]
//   cases: trivial cpu payload streaming stateful cold-start feeds progress (default: all, in that order)
//   --quick: one round and smaller inputs (a smoke test of the suite, not figures to quote), written to
//   bench/results/quick/ (ignored by git) so that it never replaces the committed tables
// Writes bench/results/<n>-<case>.md (+ .svg for throughput), results/data/<n>-<case>.json (the headline
// figures) and results/README.md (the summary of every case run so far).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { interleave, loadNote, machineInfo } from './lib/harness.mjs';
import { jobsOf } from './lib/report.mjs';
import { writeSummary } from './lib/summary.mjs';

const SUITES = ['trivial', 'cpu', 'payload', 'streaming', 'stateful', 'cold-start', 'feeds', 'progress'];
const PACKAGES = ['@mtl/threads', '@mtl/processes', 'piscina', 'tinypool', 'workerpool', 'p-map'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'max-retries': { type: 'string' },
  },
});
const unknown = positionals.filter((p) => !SUITES.includes(p));
if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')}; pick from ${SUITES.join(', ')}`);
const selected = positionals.length ? SUITES.filter((s) => positionals.includes(s)) : SUITES;
const ctx = {
  quick: values.quick,
  jobsList: jobsOf(availableParallelism()),
  maxRetries: Number(values['max-retries'] ?? (values.quick ? 1 : 4)),
};
const event = process.env.npm_lifecycle_event;
const command = `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
const commandNote = `\`${command}\`${event ? ` (run as \`pnpm run ${event}\` in bench/)` : ''}`;
const outDir = values.quick ? 'results/quick/' : 'results/';
const results = new URL(outDir, import.meta.url);
for (const dir of ['raw/', 'data/']) mkdirSync(new URL(dir, results), { recursive: true });

for (const name of selected) {
  const started = Date.now();
  const suite = (await import(`./suite/${name}.mjs`)).default;
  const plan = suite.plan(ctx);
  const runs = Number(values.runs ?? (ctx.quick ? 1 : plan.runs));
  process.stderr.write(`\n== ${suite.file}: ${plan.cases.length} cases × ${runs} rounds\n`);
  const samples = interleave(plan.cases, runs, undefined, { maxRetries: ctx.maxRetries });
  const out = suite.report(samples, { ...ctx, ...plan, runs });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const markdown = `# ${suite.title}

${out.body}

How this was measured:
- Command: ${commandNote}; each cell is the median (min–max) of ${runs} fresh \`node\` processes per case, the cases interleaved round by round; "÷" ratios are taken round by round, then summarised. This case took ${minutes} min.
${loadNote(samples)}${ctx.quick ? '\n- **Quick mode**: one round, smaller inputs; a smoke test, not figures to quote.' : ''}

Machine:
${machineInfo(PACKAGES)}
`;
  writeFileSync(new URL(`${suite.file}.md`, results), markdown);
  if (out.chart) writeFileSync(new URL(`${suite.file}.svg`, results), out.chart);
  writeFileSync(new URL(`raw/${suite.file}.json`, results), `${JSON.stringify(samples, null, 1)}\n`);
  const data = { title: suite.title, file: suite.file, command, runs, quick: ctx.quick, ...out.summary };
  writeFileSync(new URL(`data/${suite.file}.json`, results), `${JSON.stringify(data, null, 2)}\n`);
  process.stderr.write(`wrote bench/${outDir}${suite.file}.md (${minutes} min)\n`);
}
writeSummary(results, machineInfo(PACKAGES));
process.stderr.write(`wrote bench/${outDir}README.md\n`);
