// Case 7: the per-task pools by how they are fed: 100,000 × x => x*x, all tasks at once, 8 or 64 in
// flight, timed from construction (cold) and on the warm pool; @mtl/threads beside them.
import { rate, ratio, table } from '../lib/harness.mjs';
import { cell, figures, median, perRound, RUNNERS, sampleCase } from '../lib/report.mjs';

const FEEDS = [
  { window: 0, fed: 'all at once' },
  { window: 8, fed: '8 in flight' },
  { window: 64, fed: '64 in flight' },
];
const VARIANTS = [
  { key: 'mtl-threads', fed: 'auto-sized batches', args: [] },
  ...['tinypool-threads', 'piscina'].flatMap((runner) =>
    FEEDS.map(({ window, fed }) => ({ key: `${runner}/${window}`, fed, args: ['--window', window] })),
  ),
];
const runnerOf = (key) => key.split('/')[0];
const sizeOf = (quick) => (quick ? 20_000 : 100_000);

function plan({ quick, jobsList }) {
  const cases = jobsList.flatMap((jobs) =>
    VARIANTS.map((v) =>
      sampleCase(`${v.key}/j${jobs}`, runnerOf(v.key), 'throughput', [
        ...['--task', 'trivial', '--n', sizeOf(quick), '--jobs', jobs, '--cold', 1],
        ...v.args,
      ]),
    ),
  );
  return { runs: 5, cases };
}

function report(samples, { quick, jobsList }) {
  const MODES = { cold: 'coldRate', warm: 'rate' };
  const rates = (key, jobs, mode) => figures(samples, `${key}/j${jobs}`, MODES[mode]);
  const vsMtl = (key, jobs, mode) =>
    perRound(rates('mtl-threads', jobs, mode), rates(key, jobs, mode), (m, x) => m / x);
  const sections = jobsList.map((jobs) => {
    const rows = VARIANTS.map((v) => [
      RUNNERS[runnerOf(v.key)].label,
      v.fed,
      ...Object.keys(MODES).flatMap((mode) => [
        cell(rates(v.key, jobs, mode), rate),
        v.key === 'mtl-threads' ? '—' : cell(vsMtl(v.key, jobs, mode), ratio),
      ]),
    ]);
    const header = ['runner', 'fed', 'cold items/s', 'mtl ÷ runner', 'warm items/s', 'mtl ÷ runner'];
    return `## ${jobs} workers\n\n${table(header, rows)}`;
  });
  const j = jobsList[0];
  const both = (key) => `${rate(median(rates(key, j, 'cold')))} / ${rate(median(rates(key, j, 'warm')))}`;
  const n = sizeOf(quick).toLocaleString('en-US');
  const headline = [
    [
      `${n} × x*x by feed, items/s cold / warm`,
      both('mtl-threads'),
      '—',
      VARIANTS.slice(1)
        .map((v) => `${RUNNERS[runnerOf(v.key)].label} ${v.fed} ${both(v.key)}`)
        .join(', '),
      '—',
    ],
  ];
  const body = `${n} items of \`x => x*x\`, items/s; the per-task pools (one task per message) fed three ways:
every task at once, or at most 8 or 64 tasks in flight. The trivial case (1-trivial.md) feeds each pool
the way that was fastest in a pilot; this case measures piscina's and tinypool's three feeds.

- **cold**: from the pool's construction (\`new Pool\`, \`new Tinypool\`, \`new Piscina\`: the workers start)
  to the last result of a map over the items. **warm**: the same map again on that pool.
- "mtl ÷ runner" is computed round by round (mtl and the runner from the same round), then summarised.

${sections.join('\n\n')}`;
  return { body, summary: { headline, targets: [] } };
}

export default { file: '7-feeds', title: 'Per-task pools by feed: items/s, cold and warm', plan, report };
