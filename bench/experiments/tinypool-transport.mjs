// Experiment: tinypool as mtl's thread transport, under the one core scheduler.
//
// Shape: one Tinypool per slot (minThreads = maxThreads = 1), so that each slot has its own worker and
// its own state. Every scheduler message (init, run batch, stop) is one `pool.run(msg)`; the worker
// module (fixtures/tinypool-entry.mjs) feeds it to the core worker runtime and resolves with the
// runtime's reply. Tinypool has no event for a worker that dies, so the transport listens to the
// thread itself (`pool.threads[0]`); a dead or killed slot is thrown away whole (`destroy()`) and the
// scheduler starts a new Tinypool from the same spec.
//
// Usage: node bench/experiments/tinypool-transport.mjs [--runs 5]   (the comparison below)
//   a child, one sample: --runner threads|tinypool|tinypool-np|tinypool-alone --task trivial|cpu
//   --mode cold|warm --iters N
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cloneProbe, defineBackend } from '@mtl/core/backend';
import Tinypool from 'tinypool';
import { runners } from '../cases/runners.mjs';
import { check, functions, inputs } from '../cases/tasks.mjs';
import burn from '../fixtures/burn.mjs';
import { caseArgs, interleave, loadNote, machineInfo, median, ms, rate, summary, table } from '../lib/harness.mjs';

const entry = new URL('../fixtures/tinypool-entry.mjs', import.meta.url).href;
/** Batches the core scheduler keeps in flight per worker (its PREFETCH), plus one control message. */
const CONCURRENT = 3;

/**
 * `probe` (default true): check with structuredClone that a batch (in the parent) and its results (in
 * the worker) can be cloned before tinypool posts them. Tinypool reports an input that cannot be
 * cloned only later, as a rejection, and a result that cannot be cloned kills the worker; the core's
 * contract wants a synchronous throw and a failed item instead. `probe: false` measures the cost.
 */
export function tinypoolTransport({ probe = true } = {}) {
  return {
    name: 'tinypool',
    canSend: cloneProbe,
    start(slot, events) {
      const pool = new Tinypool({
        filename: entry,
        minThreads: 1,
        maxThreads: 1,
        concurrentTasksPerWorker: CONCURRENT,
        workerData: { slot, probe },
      });
      const [thread] = pool.threads; // created synchronously by the constructor
      let error;
      let gone = false;
      // Tinypool re-emits a worker error on the pool when no task was running: unhandled, it would throw.
      pool.on('error', (thrown) => {
        error ??= thrown;
      });
      thread.on('error', (thrown) => {
        error ??= thrown;
      });
      const exited = new Promise((resolve) =>
        thread.once('exit', (code) => {
          gone = true;
          events.exit({ code, signal: null, error });
          // Tinypool may already have started a fresh, uninitialised worker in this pool: drop it.
          void pool.destroy().catch(() => {});
          resolve();
        }),
      );
      const kill = () => {
        if (!gone) void pool.destroy().catch(() => {});
        return exited;
      };
      /** A tinypool worker cannot end itself: the core waits for it to exit after `closed`, so end it here. */
      const receive = (reply) => {
        events.message(reply);
        if (reply.type === 'closed') void kill();
      };
      return {
        send(msg) {
          if (gone) throw new Error('tinypool: this worker has exited');
          if (probe && msg.type === 'run') {
            const reason = cloneProbe(msg.items);
            if (reason !== undefined) throw new TypeError(reason);
          }
          pool.run(msg).then(receive, () => {}); // rejections: the worker died or was destroyed
        },
        kill,
        // Tinypool refs and unrefs its worker itself: referenced while a task is in flight, not when idle.
        ref() {},
      };
    },
  };
}

/** The Backend object the core takes: `defineBackend(tinypoolBackend)` gives its `pqdm` and `Pool`. */
export const tinypoolBackend = {
  name: 'tinypool',
  optionNames: ['probe'],
  createTransport: (options) => tinypoolTransport(options),
};

// ---- one sample, in a fresh process -----------------------------------------------------------------

/**
 * cold: from `pqdm(...)` (or `new Tinypool`) to the last result (`onProgress`; `await pqdm` also waits
 * for the workers to stop: `settledMs`). warm: `pool.map(xs)` after a warm-up map on the same pool.
 */
async function sample(a) {
  const { task, mode } = a;
  const n = task === 'cpu' ? 200 : 100_000;
  const xs = inputs(task, n, Number(a.iters));
  const warmup = inputs(task, task === 'cpu' ? 4 : 1000, Number(a.iters));
  const now = () => performance.now();
  const print = (ms, extra) =>
    console.log(JSON.stringify({ runner: a.runner, task, mode, n, ms, rate: (n / ms) * 1000, ...extra }));
  if (a.runner === 'tinypool-alone') {
    const make = await runners['tinypool-threads']();
    const t0 = now();
    const pool = make({ task, jobs: 2, window: 0 });
    if (mode === 'warm') await pool.map(warmup);
    const t1 = mode === 'warm' ? now() : t0;
    const results = await pool.map(xs);
    const ms = now() - t1;
    check(task, xs, results);
    await pool.close();
    return print(ms);
  }
  const { pqdm, Pool } = a.runner === 'threads' ? await import('@mtl/threads') : defineBackend(tinypoolBackend);
  const options = a.runner === 'threads' ? { nJobs: 2 } : { nJobs: 2, probe: a.runner === 'tinypool' };
  const fn = functions[task]; // sent to the workers as source text
  if (mode === 'cold') {
    let last = 0;
    const t0 = now();
    const onProgress = (done) => {
      if (done === n) last = now();
    };
    const results = await pqdm(xs, fn, { ...options, onProgress });
    const settledMs = now() - t0;
    check(task, xs, results);
    return print(last - t0, { settledMs });
  }
  const pool = new Pool(fn, options);
  await pool.map(warmup);
  const t0 = now();
  const results = await pool.map(xs);
  const ms = now() - t0;
  check(task, xs, results);
  await pool.close();
  print(ms);
}

// ---- the comparison, when run as a script ----------------------------------------------------------

/** Iterations of burn() that take about `ms` here, and the measured ms per call. */
function calibrate(ms = 5) {
  const time = (iters, reps) => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) burn(iters);
    return (performance.now() - t0) / reps;
  };
  time(1_000_000, 5); // warm up the JIT
  const iters = Math.round((4_000_000 * ms) / time(4_000_000, 10));
  return { iters, perCallMs: time(iters, 40) };
}

function compare() {
  const runs = Number(caseArgs().runs ?? 5);
  const { iters, perCallMs } = calibrate();
  const idealMs = (200 * perCallMs) / 2;
  const runners = [
    {
      id: 'threads',
      label: '@mtl/threads (worker_threads transport)',
      file: 'experiments/tinypool-transport.mjs',
      args: ['--runner', 'threads'],
    },
    {
      id: 'tinypool',
      label: 'mtl over tinypool (with clone probes)',
      file: 'experiments/tinypool-transport.mjs',
      args: ['--runner', 'tinypool'],
    },
    {
      id: 'tinypool-np',
      label: 'mtl over tinypool (no probes)',
      file: 'experiments/tinypool-transport.mjs',
      args: ['--runner', 'tinypool-np'],
    },
    {
      id: 'tinypool-raw',
      label: 'tinypool alone, all at once (reference)',
      file: 'experiments/tinypool-transport.mjs',
      args: ['--runner', 'tinypool-alone'],
      only: 'cpu',
    },
  ];
  const shapes = [
    ['trivial', 'cold'],
    ['trivial', 'warm'],
    ['cpu', 'cold'],
    ['cpu', 'warm'],
  ];
  const cases = shapes.flatMap(([task, mode]) =>
    runners
      .filter((r) => !r.only || r.only === task)
      .map((r) => ({
        id: `${r.id}/${task}/${mode}`,
        file: r.file,
        args: [...r.args, '--task', task, '--mode', mode, '--iters', iters],
      })),
  );
  const samples = interleave(cases, runs);
  const cell = (r, task, mode) => {
    const s = samples[`${r.id}/${task}/${mode}`];
    if (!s) return '—';
    if (task === 'trivial')
      return summary(
        s.map((x) => x.rate),
        rate,
      );
    return `${summary(
      s.map((x) => x.ms),
      ms,
    )} ms (${((100 * idealMs) / median(s.map((x) => x.ms))).toFixed(0)} %)`;
  };
  /** This runner against @mtl/threads, run by run. */
  const vs = (r, task, mode) => {
    const s = samples[`${r.id}/${task}/${mode}`];
    if (!s || r.id === 'threads') return '—';
    const base = samples[`threads/${task}/${mode}`];
    const pick = (x) => (task === 'trivial' ? x.rate : 1 / x.ms); // higher is better
    return summary(
      s.map((x, i) => pick(x) / pick(base[i])),
      (x) => `${x.toFixed(2)}×`,
    );
  };
  const rows = runners.map((r) => [
    r.label,
    ...shapes.flatMap(([task, mode]) => [cell(r, task, mode), vs(r, task, mode)]),
  ]);
  const header = ['runner', ...shapes.flatMap(([task, mode]) => [`${task} ${mode}`, 'vs threads'])];
  const markdown = `Command: \`node bench/experiments/tinypool-transport.mjs --runs ${runs}\` (median (min–max) of ${runs} fresh processes, interleaved)

trivial: 100,000 × x => x*x, items/s. cpu: 200 × burn(${iters}) ≈ ${perCallMs.toFixed(2)} ms each, wall ms (% of ideal ${idealMs.toFixed(0)} ms = 200 × ${perCallMs.toFixed(2)} / 2).
"vs threads": speed relative to @mtl/threads, run by run (> 1 is faster). 2 workers everywhere.

${table(header, rows)}

${loadNote(samples)}
${machineInfo(['@mtl/core', 'tinypool'])}
`;
  process.stdout.write(markdown);
  writeFileSync(new URL('../results/tinypool-transport.md', import.meta.url), markdown);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const a = caseArgs();
  if (a.runner) await sample(a);
  else compare();
}
