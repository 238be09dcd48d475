// Where a CPU-bound map loses time against the ideal (sequential / workers). 200 tasks of ≈ 5 ms on a
// warm pool of 2; each task reports its worker and when it started and ended (fixtures/timed-burn.mjs),
// so each worker's wall time splits into: head (map start → its first task), tasks, gaps between its
// tasks (the scheduling round trip), tail (its last task → the map's end). p-map gives the task's time alone.
// Usage: node bench/experiments/cpu-gaps.mjs [--runs 5]      (a child: --runner R --iters N)
import { writeFileSync } from 'node:fs';
import { runners } from '../cases/runners.mjs';
import { inputs } from '../cases/tasks.mjs';
import { caseArgs, interleave, loadNote, machineInfo, median, runCase, table } from '../lib/harness.mjs';

const args = caseArgs();
const N = 200;
const JOBS = 2;
const clock = () => performance.timeOrigin + performance.now();

async function child() {
  const pool = (await runners[args.runner]())({ task: 'cpu-timed', jobs: JOBS, batch: 1, inflight: 1 });
  await pool.map(inputs('cpu-timed', 4, Number(args.iters)));
  const t0 = clock();
  const results = await pool.map(inputs('cpu-timed', N, Number(args.iters)));
  const t1 = clock();
  await pool.close();
  const byWorker = new Map();
  for (const r of results) byWorker.set(r[0], [...(byWorker.get(r[0]) ?? []), r]);
  const per = [...byWorker.values()].map((tasks) => {
    tasks.sort((a, b) => a[1] - b[1]);
    const gaps = tasks.slice(1).map((t, k) => t[1] - tasks[k][2]);
    return {
      head: tasks[0][1] - t0,
      busy: tasks.reduce((sum, t) => sum + t[2] - t[1], 0),
      gaps: gaps.reduce((a, b) => a + b, 0),
      medianGapUs: gaps.length ? median(gaps) * 1000 : 0,
      tail: t1 - tasks.at(-1)[2],
    };
  });
  const mean = (key) => per.reduce((sum, w) => sum + w[key], 0) / per.length;
  const taskMs = results.reduce((sum, t) => sum + t[2] - t[1], 0) / N;
  const keys = ['head', 'busy', 'gaps', 'medianGapUs', 'tail'];
  console.log(
    JSON.stringify({
      wall: t1 - t0,
      taskMs,
      workers: per.length,
      ...Object.fromEntries(keys.map((k) => [k, mean(k)])),
    }),
  );
}

function driver() {
  const runs = Number(args.runs ?? 5);
  const { iters } = runCase('cases/sample.mjs', ['--measure', 'calibrate', '--ms', 5]);
  const names = ['p-map', 'raw-threads', 'mtl-threads', 'piscina', 'raw-fork', 'mtl-processes'];
  const cases = names.map((r) => ({
    id: r,
    file: 'experiments/cpu-gaps.mjs',
    args: ['--runner', r, '--iters', iters],
  }));
  const samples = interleave(cases, runs);
  const m = (id, key) => median(samples[id].map((s) => s[key]));
  const f = (x) => x.toFixed(1);
  const seqTask = m('p-map', 'taskMs');
  const ideal = (N * seqTask) / JOBS;
  const rows = names
    .slice(1)
    .map((id) => [
      id,
      f(m(id, 'wall')),
      `${((100 * ideal) / m(id, 'wall')).toFixed(1)} %`,
      f(m(id, 'taskMs') - seqTask),
      f(m(id, 'busy') - ideal),
      f(m(id, 'gaps')),
      m(id, 'medianGapUs').toFixed(0),
      f(m(id, 'head')),
      f(m(id, 'tail')),
    ]);
  const header = [
    'runner',
    'wall ms',
    '% of ideal',
    'task ms − alone',
    'busy − ideal',
    'gaps',
    'median gap µs',
    'head',
    'tail',
  ];
  const markdown = `Command: \`node bench/experiments/cpu-gaps.mjs --runs ${runs}\` (${N} × burn(${iters}), ${JOBS} workers, warm pool; medians of ${runs} fresh processes, interleaved)

A task alone (p-map, main thread): ${seqTask.toFixed(2)} ms → ideal ${f(ideal)} ms. Per worker (mean of the ${JOBS}), in ms:
**busy − ideal** is time lost because a task runs slower when ${JOBS} run at once; **gaps** is the time between the end of a
task and the start of the next on the same worker; **head** from the map's start to the worker's first task; **tail**
from its last task to the map's end. wall ≈ head + busy + gaps + tail.

${table(header, rows)}

${loadNote(samples)}
${machineInfo(['@mtl/threads', '@mtl/processes', 'piscina'])}
`;
  process.stdout.write(markdown);
  writeFileSync(new URL('../results/cpu-gaps.md', import.meta.url), markdown);
}

if (args.runner) await child();
else driver();
