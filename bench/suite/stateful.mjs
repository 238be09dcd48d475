// Case 5: stateful start-up: each worker's construction takes 200 ms (mtl: `delayedInit` of an async
// factory). Time to the first result and to the last, against the same pool with instant construction.
import { ms, table } from '../lib/harness.mjs';
import { cell, figures, median, perRound, RUNNER_ORDER, RUNNERS, sampleCase, verdict } from '../lib/report.mjs';

const INIT_MS = 200;
const N = 100;
const ORDER = RUNNER_ORDER;
const HOW = {
  'mtl-threads': '`delayedInit(async (ms) => { await sleep(ms); return (x) => x * x; })(200)`',
  'raw-threads': 'worker sleeps, then says ready',
  piscina: 'module with top-level `await sleep(200)`',
  'workerpool-threads': '`await sleep(200)` before `workerpool.worker()`',
  'p-map': 'one 200 ms construction on the main thread',
};
HOW['mtl-processes'] = HOW['mtl-threads'];
HOW['raw-fork'] = HOW['raw-threads'];
HOW['tinypool-threads'] = HOW.piscina;
HOW['tinypool-processes'] = HOW.piscina;
HOW['workerpool-processes'] = HOW['workerpool-threads'];

/** 2 workers (and the core count where it differs), and 4 on any machine: a sleep needs no core. */
const jobsOf = (jobsList) => [...new Set([...jobsList, 4])];

function plan({ jobsList }) {
  const cases = jobsOf(jobsList).flatMap((jobs) =>
    ORDER.flatMap((runner) =>
      [INIT_MS, 0].map((init) =>
        sampleCase(`${runner}/${init}/j${jobs}`, runner, 'startup', ['--n', N, '--jobs', jobs, '--init-ms', init]),
      ),
    ),
  );
  return { runs: 5, cases };
}

function report(samples, { jobsList }) {
  const fig = (runner, init, jobs, key) => figures(samples, `${runner}/${init}/j${jobs}`, key);
  /** What construction added to the total: the total with 200 ms constructions minus the total with none. */
  const added = (runner, jobs) =>
    perRound(fig(runner, INIT_MS, jobs, 'totalMs'), fig(runner, 0, jobs, 'totalMs'), (a, b) => a - b);
  const sections = jobsOf(jobsList).map((jobs) => {
    const rows = ORDER.map((runner) => [
      RUNNERS[runner].label,
      HOW[runner],
      cell(fig(runner, INIT_MS, jobs, 'firstMs'), ms),
      cell(fig(runner, INIT_MS, jobs, 'totalMs'), ms),
      cell(fig(runner, 0, jobs, 'totalMs'), ms),
      cell(added(runner, jobs), ms),
    ]);
    const header = [
      'runner',
      'construction',
      'first result, ms',
      `total (${N} items), ms`,
      'total, instant construction',
      'added by construction, ms',
    ];
    return `## ${jobs} workers (serial constructions would add ${jobs * INIT_MS} ms)\n\n${table(header, rows)}`;
  });
  const targets = jobsOf(jobsList).map((jobs) => {
    const runners = ['mtl-threads', 'mtl-processes'];
    const figs = runners.map((r) => median(added(r, jobs)));
    return {
      target: `stateful start-up, ${jobs} workers: total ≈ one construction (${INIT_MS} ms), not ${jobs} of them`,
      figure: `construction adds ${figs.map((x, i) => `${ms(x)} ms (${RUNNERS[runners[i]].label})`).join(', ')}; totals ${runners.map((r) => `${ms(median(fig(r, INIT_MS, jobs, 'totalMs')))} ms`).join(', ')}`,
      status: verdict(figs.every((x) => x < 1.5 * INIT_MS)),
    };
  });
  const j = jobsList[0];
  const total = (runner, jobs = j) =>
    `${ms(median(fig(runner, INIT_MS, jobs, 'totalMs')))} ms (+${ms(median(added(runner, jobs)))})`;
  const headline = [
    [
      `${j} workers × ${INIT_MS} ms construction: total for ${N} items (+ added by construction)`,
      total('mtl-threads'),
      total('mtl-processes'),
      `piscina ${total('piscina')}, tinypool ${total('tinypool-threads')}, workerpool ${total('workerpool-threads')}`,
      `threads ${total('raw-threads')}, fork ${total('raw-fork')}`,
    ],
    [
      `the same, 4 workers`,
      total('mtl-threads', 4),
      total('mtl-processes', 4),
      `piscina ${total('piscina', 4)}`,
      `threads ${total('raw-threads', 4)}, fork ${total('raw-fork', 4)}`,
    ],
  ];
  const body = `Every worker takes ${INIT_MS} ms to construct (an async wait, as a model or a connection would), then maps
${N} items of \`x => x*x\`. Timed from the pool's construction to the first result and to the last.
Each runner also runs with instant construction; **added by construction** is the difference of the two totals,
round by round: about ${INIT_MS} ms when the workers construct at the same time, ${INIT_MS} ms × workers if one after another.
4 workers are measured on every machine: waiting needs no core, so the constructions can overlap beyond the core count.

${sections.join('\n\n')}`;
  return { body, summary: { headline, targets } };
}

export default { file: '5-stateful', title: 'Stateful start-up: constructions overlap', plan, report };
