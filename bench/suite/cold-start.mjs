// Case 6: time to the first result from a cold start, for each backend against the raw floor.
import { ms, ratio, table } from '../lib/harness.mjs';
import { cell, figures, median, perRound, RUNNERS, sampleCase, verdict } from '../lib/report.mjs';
import { barChart } from '../lib/svg.mjs';

const ORDER = [
  'mtl-threads',
  'raw-threads',
  'mtl-processes',
  'raw-fork',
  'piscina',
  'tinypool-threads',
  'tinypool-processes',
  'workerpool-threads',
  'workerpool-processes',
];
const floorOf = (runner) => (RUNNERS[runner].family === 'threads' ? 'raw-threads' : 'raw-fork');

function plan({ jobsList }) {
  const cases = jobsList.flatMap((jobs) =>
    ORDER.map((runner) => sampleCase(`${runner}/j${jobs}`, runner, 'first', ['--jobs', jobs])),
  );
  return { runs: 7, cases };
}

function report(samples, { jobsList }) {
  const fig = (runner, jobs, key) => figures(samples, `${runner}/j${jobs}`, key);
  const vsFloor = (runner, jobs) =>
    perRound(fig(runner, jobs, 'firstMs'), fig(floorOf(runner), jobs, 'firstMs'), (x, f) => x / f);
  const sections = jobsList.map((jobs) => {
    const rows = ORDER.map((runner) => [
      RUNNERS[runner].label,
      cell(fig(runner, jobs, 'firstMs'), ms),
      RUNNERS[runner].floor ? '—' : cell(vsFloor(runner, jobs), ratio),
      RUNNERS[runner].floor ? '—' : cell(fig(runner, jobs, 'importMs'), ms),
    ]);
    const header = ['runner', 'construction → first result, ms', '÷ raw floor', 'import of the library, ms'];
    return `## ${jobs} workers\n\n${table(header, rows)}`;
  });
  const j = jobsList[0];
  const first = (runner) => median(fig(runner, j, 'firstMs'));
  const targets = ['mtl-threads', 'mtl-processes'].map((runner) => {
    const r = median(vsFloor(runner, j));
    return {
      target: `cold start to first result, ${RUNNERS[runner].label}: within 20 % of the raw floor`,
      figure: `${ms(first(runner))} ms against ${ms(first(floorOf(runner)))} ms (${ratio(r)}, round by round)`,
      status: verdict(r <= 1.2),
    };
  });
  const peers = ['piscina', 'tinypool-threads', 'tinypool-processes', 'workerpool-threads', 'workerpool-processes'];
  const headline = [
    [
      'cold start → first result',
      `${ms(first('mtl-threads'))} ms`,
      `${ms(first('mtl-processes'))} ms`,
      peers.map((p) => `${RUNNERS[p].label} ${ms(first(p))}`).join(', '),
      `threads ${ms(first('raw-threads'))} ms, fork ${ms(first('raw-fork'))} ms`,
    ],
  ];
  const rows = ORDER.map((runner) => {
    const xs = fig(runner, j, 'firstMs');
    return {
      label: RUNNERS[runner].label,
      median: median(xs),
      min: Math.min(...xs),
      max: Math.max(...xs),
      text: `${ms(median(xs))} ms`,
      mtl: RUNNERS[runner].mtl,
    };
  });
  const chart = barChart({ title: `Cold start to the first result, ${j} workers`, unit: 'ms', rows });
  const body = `In a fresh process: the library is imported (timed apart), then the pool is constructed and a map of one
item (\`x => x*x\`) is run; the figure is the time from construction to that result. It includes starting ${jobsList[0]}
workers and whatever each library does before the first task runs (mtl: sending the worker spec, building the
worker, then the first batch). The raw floors start bare workers (\`new Worker\` / \`fork\` of a small module) that
say "ready", then answer one message.

${sections.join('\n\n')}

![chart](6-cold-start.svg)`;
  return { body, chart, summary: { headline, targets, chart: true } };
}

export default { file: '6-cold-start', title: 'Cold start: time to the first result', plan, report };
