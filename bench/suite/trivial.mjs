// Case 1: trivial tasks (x => x*x) over 100,000 and 1,000,000 items: items/s.
import { rate, ratio, table } from '../lib/harness.mjs';
import { cell, figures, median, mtlOf, perRound, RUNNERS, sampleCase, verdict } from '../lib/report.mjs';
import { barChart } from '../lib/svg.mjs';

// How each runner is fed. The per-task pools get the feed that was fastest for each in a pilot at 100k
// (items/s, all at once → 64 in flight): piscina 30.2k → 24.2k, tinypool 9.5k → 18.9k, workerpool
// 8.1k → 21.1k; tinypool's and workerpool's queues shift an array, which is slow with 100k tasks queued.
// The feeds case (suite/feeds.mjs) measures piscina's and tinypool's feeds in every run.
/** The raw floor of one kind at 1 item per message, 64, and 1,024 (mtl's largest batch until round two). */
function rawVariants(runner) {
  return [
    { key: `${runner}/1`, fed: '1 item/message, 32 in flight per worker', args: ['--batch', 1, '--inflight', 32] },
    { key: `${runner}/64`, fed: '64 items/message, 8 in flight', args: ['--batch', 64, '--inflight', 8], large: true },
    {
      key: `${runner}/1024`,
      fed: "1024 items/message (mtl's largest batch until round two; now 4,096), 2 in flight",
      args: ['--batch', 1024, '--inflight', 2],
      large: true,
    },
  ];
}

const VARIANTS = [
  { key: 'mtl-threads', fed: 'auto-sized batches', args: ['--cold', 1], large: true },
  { key: 'mtl-processes', fed: 'auto-sized batches', args: ['--cold', 1], large: true },
  { key: 'piscina', fed: 'all at once', args: ['--window', 0] },
  { key: 'tinypool-threads', fed: '64 tasks in flight', args: ['--window', 64] },
  { key: 'tinypool-processes', fed: '64 tasks in flight', args: ['--window', 64] },
  { key: 'workerpool-threads', fed: '64 tasks in flight', args: ['--window', 64] },
  { key: 'workerpool-processes', fed: '64 tasks in flight', args: ['--window', 64] },
  { key: 'p-map', fed: 'concurrency = workers', args: [], large: true },
  { key: 'mtl-in-thread', fed: 'no workers: the map in this thread', args: ['--cold', 1], large: true },
  ...rawVariants('raw-threads'),
  ...rawVariants('raw-fork'),
];
const runnerOf = (key) => key.split('/')[0];
const labelOf = (key) => {
  const [runner, batch] = key.split('/');
  return batch ? `${RUNNERS[runner].label}, ${batch}/msg` : RUNNERS[runner].label;
};
const sizes = (quick) => (quick ? [20_000, 200_000] : [100_000, 1_000_000]);

function plan({ quick, jobsList }) {
  const [small, large] = sizes(quick);
  const cases = jobsList.flatMap((jobs) =>
    VARIANTS.flatMap((v) =>
      (v.large ? [small, large] : [small]).map((n) =>
        sampleCase(`${v.key}@${n}/j${jobs}`, runnerOf(v.key), 'throughput', [
          ...['--task', 'trivial', '--n', n, '--jobs', jobs],
          ...v.args,
        ]),
      ),
    ),
  );
  return { runs: 3, cases };
}

function report(samples, { quick, jobsList }) {
  const [small, large] = sizes(quick);
  const rates = (key, n, jobs, which = 'rate') =>
    samples[`${key}@${n}/j${jobs}`] && figures(samples, `${key}@${n}/j${jobs}`, which);
  const vsMtl = (key, n, jobs) => {
    const own = rates(key, n, jobs);
    const mtl = mtlOf(runnerOf(key));
    return own && !RUNNERS[key]?.mtl ? perRound(rates(mtl, n, jobs), own, (m, x) => m / x) : undefined;
  };
  const sections = jobsList.map((jobs) => {
    const rows = VARIANTS.flatMap((v) => {
      const label = labelOf(v.key);
      const warm = [
        label,
        v.fed,
        ...[small, large].flatMap((n) => [cell(rates(v.key, n, jobs), rate), cell(vsMtl(v.key, n, jobs), ratio)]),
      ];
      if (!RUNNERS[v.key]?.mtl) return [warm];
      const cold = [
        `${label}, cold`,
        'construction included',
        ...[small, large].flatMap((n) => [cell(rates(v.key, n, jobs, 'coldRate'), rate), '']),
      ];
      return [warm, cold];
    });
    const header = [
      'runner',
      'fed',
      `${small / 1000}k items/s`,
      'mtl ÷ runner',
      `${large / 1e6}M items/s`,
      'mtl ÷ runner',
    ];
    return `## ${jobs} workers\n\n${table(header, rows)}`;
  });
  const j = jobsList[0];
  const med = (key, n, which) => median(rates(key, n, j, which));
  const medRatio = (key) => median(vsMtl(key, small, j));
  const targets = [
    {
      target: 'threads, trivial tasks ≥ 5,000,000 items/s (round two; round one: 1,000,000)',
      figure: `${rate(med('mtl-threads', large))}/s warm, ${rate(med('mtl-threads', large, 'coldRate'))}/s cold (${large.toLocaleString('en-US')} items); raw floor, 1024/msg, ${rate(med('raw-threads/1024', large))}/s`,
      status: verdict(med('mtl-threads', large) >= 5e6),
    },
    {
      target: 'threads, trivial tasks ≥ 30× piscina and tinypool',
      figure: `${ratio(medRatio('piscina'))} piscina, ${ratio(medRatio('tinypool-threads'))} tinypool (${small / 1000}k items, warm)`,
      status: verdict(medRatio('piscina') >= 30 && medRatio('tinypool-threads') >= 30),
    },
    {
      target: 'processes, trivial tasks ≥ 2,700,000 items/s (round two; round one: 500,000)',
      figure: `${rate(med('mtl-processes', large))}/s warm, ${rate(med('mtl-processes', large, 'coldRate'))}/s cold; raw floor, 1024/msg, ${rate(med('raw-fork/1024', large))}/s`,
      status: verdict(med('mtl-processes', large) >= 2.7e6),
    },
  ];
  const r = (key, n = small) => `${rate(med(key, n))}/s`;
  const headline = [
    [
      `items/s, ${large / 1e6}M × x*x, warm`,
      r('mtl-threads', large),
      r('mtl-processes', large),
      `p-map (main thread) ${r('p-map', large)}`,
      `64/msg: threads ${r('raw-threads/64', large)}, fork ${r('raw-fork/64', large)}; 1024/msg: ${r('raw-threads/1024', large)}, ${r('raw-fork/1024', large)}`,
    ],
    [
      `mtl ÷ peer, ${small / 1000}k items`,
      `${ratio(medRatio('piscina'))} piscina, ${ratio(medRatio('tinypool-threads'))} tinypool, ${ratio(medRatio('workerpool-threads'))} workerpool`,
      `${ratio(medRatio('tinypool-processes'))} tinypool, ${ratio(medRatio('workerpool-processes'))} workerpool`,
      `piscina ${r('piscina')}, tinypool ${r('tinypool-threads')} / ${r('tinypool-processes')}, workerpool ${r('workerpool-threads')} / ${r('workerpool-processes')}`,
      `1/msg: threads ${r('raw-threads/1')}, fork ${r('raw-fork/1')}`,
    ],
  ];
  const bar = (key, n) => {
    const xs = rates(key, n, j);
    const label = `${labelOf(key)}, ${n >= 1e6 ? `${n / 1e6}M` : `${n / 1000}k`}`;
    return {
      label,
      median: median(xs),
      min: Math.min(...xs),
      max: Math.max(...xs),
      text: `${rate(median(xs))}/s`,
      mtl: RUNNERS[key]?.mtl,
    };
  };
  const bars = VARIANTS.flatMap((v) => (v.large ? [bar(v.key, small), bar(v.key, large)] : [bar(v.key, small)]));
  const chart = barChart({
    title: `Trivial tasks (x => x*x), ${j} workers, warm`,
    unit: 'items/s',
    log: true,
    rows: bars,
  });
  const body = `${large.toLocaleString('en-US')} and ${small.toLocaleString('en-US')} items of \`x => x*x\`, items/s.

- **warm** (the main figure): a map over the items on a pool that has already run a map of 1,000 items.
  **cold** (mtl rows): a map over the same items timed from the pool's construction (\`new Pool\`,
  which starts the workers; \`pqdm\` does the same) to its last result; the warm map follows it on the same pool.
- The per-task pools (piscina, tinypool, workerpool) and the 1-item raw floor run ${small.toLocaleString('en-US')} items only:
  at 10–30k tasks/s, ${large.toLocaleString('en-US')} would take them 30–100 s a sample.
- "mtl ÷ runner": @mtl/threads for thread runners and p-map, @mtl/processes for process runners.
- Serialization: mtl processes and the raw fork use \`'advanced'\` (mtl's default); tinypool and workerpool
  processes use their default (\`'json'\`, cheaper for small messages).
- p-map runs \`x => x*x\` on the main thread with \`concurrency\` = workers: the main thread alone, no messages.

${sections.join('\n\n')}

![chart](1-trivial.svg)`;
  return { body, chart, summary: { headline, targets, chart: true } };
}

export default { file: '1-trivial', title: 'Trivial tasks: items/s', plan, report };
