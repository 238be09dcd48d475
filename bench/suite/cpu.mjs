// Case 2: CPU tasks, 200 × burn(iters) ≈ 5 ms each (calibrated): efficiency against sequential / workers.
import { ms, ratio, runCase, table } from '../lib/harness.mjs';
import {
  cell,
  figures,
  median,
  mtlOf,
  pct,
  perRound,
  RUNNER_ORDER,
  RUNNERS,
  sampleCase,
  verdict,
} from '../lib/report.mjs';
import { barChart } from '../lib/svg.mjs';

// The one-message-per-worker floors go beside the ordinary ones.
const ORDER = [...RUNNER_ORDER.slice(0, 4), 'raw-threads/bulk', 'raw-fork/bulk', ...RUNNER_ORDER.slice(4)];
const floorOf = (runner) => (RUNNERS[runner].family === 'threads' ? 'raw-threads' : 'raw-fork');
const runnerOf = (key) => key.split('/')[0];
const labelOf = (key) => `${RUNNERS[runnerOf(key)].label}${key.endsWith('/bulk') ? ', 1 message per worker' : ''}`;
/** Not a pool: the raw floors and p-map (p-map's time is the sequential time). */
const isReference = (key) => key !== runnerOf(key) || RUNNERS[key].floor || key === 'p-map';

function plan({ quick, jobsList }) {
  const { iters, ms: itemMs } = runCase('cases/sample.mjs', ['--measure', 'calibrate', '--ms', 5]);
  const n = quick ? 40 : 200;
  const cases = jobsList.flatMap((jobs) =>
    ORDER.map((key) => {
      // the raw floor is a pull loop (one task per worker, the next sent when it answers); /bulk sends each
      // worker its share of the tasks in one message: two busy workers and no messaging, the machine's ceiling
      const bulk = key.endsWith('/bulk')
        ? ['--batch', Math.ceil(n / jobs), '--inflight', 1]
        : ['--batch', 1, '--inflight', 1];
      return sampleCase(`${key}/j${jobs}`, runnerOf(key), 'throughput', [
        ...['--task', 'cpu', '--n', n, '--iters', iters, '--jobs', jobs, '--warmup', 4],
        ...(RUNNERS[runnerOf(key)].floor ? bulk : []),
      ]);
    }),
  );
  return { runs: 5, cases, iters, itemMs, n };
}

function report(samples, { jobsList, iters, itemMs, n }) {
  const wall = (runner, jobs) => figures(samples, `${runner}/j${jobs}`, 'ms');
  // p-map runs the tasks one after another on the main thread: the sequential time of the round.
  const efficiency = (runner, jobs) => perRound(wall('p-map', jobs), wall(runner, jobs), (seq, x) => seq / jobs / x);
  const sections = jobsList.map((jobs) => {
    const vs = (key, other) =>
      cell(
        perRound(wall(key, jobs), wall(other, jobs), (x, y) => x / y),
        ratio,
      );
    const rows = ORDER.map((key) => [
      labelOf(key),
      cell(wall(key, jobs), ms),
      key === 'p-map' ? 'sequential' : cell(efficiency(key, jobs), pct),
      RUNNERS[key]?.mtl ? '—' : vs(key, mtlOf(runnerOf(key))),
      isReference(key) ? '—' : vs(key, floorOf(key)),
    ]);
    const seq = median(wall('p-map', jobs));
    const header = ['runner', 'wall ms', '% of ideal', 'mtl speed ÷ runner', 'wall ÷ raw floor'];
    return `## ${jobs} workers (ideal ≈ ${ms(seq / jobs)} ms = ${ms(seq)} ms sequential / ${jobs})\n\n${table(header, rows)}`;
  });
  const j = jobsList[0];
  const eff = (runner) => median(efficiency(runner, j));
  const targets = ['mtl-threads', 'mtl-processes'].map((runner) => ({
    target: `CPU tasks, ${RUNNERS[runner].label}: ≥ 97 % of ideal`,
    figure: `${pct(eff(runner))} (raw pull loop ${pct(eff(floorOf(runner)))}, one message per worker ${pct(eff(`${floorOf(runner)}/bulk`))})`,
    status: verdict(eff(runner) >= 0.97),
  }));
  const peers = ['piscina', 'tinypool-threads', 'tinypool-processes', 'workerpool-threads', 'workerpool-processes'];
  const headline = [
    [
      `${n} × ${itemMs.toFixed(2)} ms CPU, % of ideal`,
      pct(eff('mtl-threads')),
      pct(eff('mtl-processes')),
      peers.map((p) => `${RUNNERS[p].label} ${pct(eff(p))}`).join(', '),
      `pull loop: threads ${pct(eff('raw-threads'))}, fork ${pct(eff('raw-fork'))}; 1 message/worker: ${pct(eff('raw-threads/bulk'))}, ${pct(eff('raw-fork/bulk'))}`,
    ],
  ];
  const rows = ORDER.filter((r) => r !== 'p-map').map((key) => {
    const xs = efficiency(key, j).map((x) => x * 100);
    return {
      label: labelOf(key),
      median: median(xs),
      min: Math.min(...xs),
      max: Math.max(...xs),
      text: pct(median(xs) / 100),
      mtl: RUNNERS[key]?.mtl,
    };
  });
  const chart = barChart({
    title: `CPU tasks (${n} × ${itemMs.toFixed(1)} ms), ${j} workers`,
    unit: '% of ideal',
    rows,
  });
  const body = `${n} tasks of \`burn(${iters})\` (a 32-bit LCG loop, calibrated to ${itemMs.toFixed(2)} ms on this machine
in a fresh process), all submitted at once to a warm pool (after 4 warm-up tasks).

- **ideal** = sequential time / workers, where the sequential time is p-map's wall time in the same round
  (p-map runs every task on the main thread, one after another). % of ideal = ideal / wall.
- The raw floors are pull loops: one task per worker, the next sent as soon as it answers. "1 message per worker"
  sends each worker its share of the tasks at once: the workers busy with no messaging at all, the ceiling of this machine.
- "mtl speed ÷ runner" = runner's wall / mtl's wall (> 1: mtl is faster), against the mtl backend of the same kind.

${sections.join('\n\n')}

![chart](2-cpu.svg)`;
  return { body, chart, summary: { headline, targets, chart: true } };
}

export default { file: '2-cpu', title: 'CPU tasks: efficiency against the ideal', plan, report };
