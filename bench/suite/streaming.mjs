// Case 4: streaming memory: 5,000,000 items from a generator, a slow-ish consumer, `bounded: true`
// (mtl's default): the peak RSS growth of the parent process.
import { rate, table } from '../lib/harness.mjs';
import { cell, figures, fixed, median, RUNNERS, sampleCase, verdict } from '../lib/report.mjs';

const PAUSE_EVERY = 1000;
// piscina streams through p-map's pMapIterable (64 tasks in flight); at about 25k tasks/s it runs fewer items.
const RUNS = [
  { runner: 'mtl-threads', n: 5_000_000, quickN: 500_000 },
  { runner: 'mtl-processes', n: 5_000_000, quickN: 500_000 },
  { runner: 'p-map', n: 5_000_000, quickN: 500_000, how: '`pMapIterable`, concurrency 2' },
  { runner: 'piscina', n: 100_000, quickN: 20_000, how: '`pMapIterable(gen, x => pool.run(x), { concurrency: 64 })`' },
];

function plan({ quick, jobsList }) {
  const cases = jobsList.flatMap((jobs) =>
    RUNS.map(({ runner, n, quickN }) =>
      sampleCase(`${runner}/j${jobs}`, runner, 'stream', [
        ...['--n', quick ? quickN : n, '--jobs', jobs, '--pause-every', PAUSE_EVERY, '--window', 64],
      ]),
    ),
  );
  return { runs: 3, cases };
}

function report(samples, { jobsList }) {
  const f1 = fixed(1);
  const sections = jobsList.map((jobs) => {
    const rows = RUNS.map(({ runner, how }) => {
      const id = `${runner}/j${jobs}`;
      return [
        RUNNERS[runner].label,
        how ?? '`for await (const y of pool.map(gen()))`',
        samples[id][0].n.toLocaleString('en-US'),
        cell(figures(samples, id, 'growthMB'), f1),
        cell(figures(samples, id, 'baseMB'), f1),
        cell(figures(samples, id, 'rate'), rate),
      ];
    });
    const header = ['runner', 'how', 'items', 'peak RSS growth, MB', 'RSS before, MB', 'items/s'];
    return `## ${jobs} workers\n\n${table(header, rows)}`;
  });
  const j = jobsList[0];
  const growth = (runner) => median(figures(samples, `${runner}/j${j}`, 'growthMB'));
  const n = samples[`mtl-threads/j${j}`][0].n;
  const targets = ['mtl-threads', 'mtl-processes'].map((runner) => ({
    target: `streaming ${n.toLocaleString('en-US')} items, ${RUNNERS[runner].label}: peak RSS growth < 64 MB`,
    figure: `${f1(growth(runner))} MB`,
    status: verdict(growth(runner) < 64),
  }));
  const headline = [
    [
      `streaming ${n.toLocaleString('en-US')} items, peak RSS growth`,
      `${f1(growth('mtl-threads'))} MB`,
      `${f1(growth('mtl-processes'))} MB`,
      `p-map ${f1(growth('p-map'))} MB; piscina ${f1(growth('piscina'))} MB (${samples[`piscina/j${j}`][0].n.toLocaleString('en-US')} items)`,
      '—',
    ],
  ];
  const body = `A generator yields the integers 0 … n−1; \`x => x*x\` runs on the workers; the consumer checks each result and
sleeps 1 ms every ${PAUSE_EVERY.toLocaleString('en-US')} results (a consumer slower than the workers, so that
back-pressure has to hold). mtl runs with its defaults (\`bounded: true\`, \`ordered: true\`), on a pool that has already
run a map of 1,000 items.

- **peak RSS growth**: the largest RSS of the parent process during the map (sampled every 10 ms and at every
  pause) minus its RSS just before the map (after two forced GCs). For @mtl/threads the workers are threads of the
  same process, so their memory counts; for @mtl/processes only the parent's does.
- piscina has no streaming map; it is driven by p-map's \`pMapIterable\` (64 tasks in flight), the usual way to
  stream through a task pool, over fewer items (its tasks/s would make 5M items take minutes).

${sections.join('\n\n')}`;
  return { body, summary: { headline, targets } };
}

export default { file: '4-streaming', title: 'Streaming memory: peak RSS growth', plan, report };
