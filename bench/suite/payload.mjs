// Case 3: large payloads, 1 MB typed arrays and nested objects of about 1 MB: MB/s to the workers.

import { bytesPerItem } from '../cases/tasks.mjs';
import { ratio, table } from '../lib/harness.mjs';
import { cell, fixed, median, mtlOf, perRound, RUNNER_ORDER, RUNNERS, sampleCase, verdict } from '../lib/report.mjs';
import { barChart } from '../lib/svg.mjs';

const ORDER = RUNNER_ORDER;
const TASKS = {
  ta: { label: '1 MB Float64Array', n: 100, quickN: 20 },
  obj: { label: 'nested object, about 1 MB', n: 40, quickN: 10 },
};
const floorOf = (runner) => (RUNNERS[runner].family === 'threads' ? 'raw-threads' : 'raw-fork');
/** The runners that can move a typed array instead of copying it, and how. */
const MOVERS = ['mtl-threads', 'piscina', 'raw-threads'];

function plan({ quick, jobsList }) {
  const cases = jobsList.flatMap((jobs) =>
    Object.entries(TASKS).flatMap(([task, t]) =>
      ORDER.map((runner) =>
        sampleCase(`${runner}/${task}/j${jobs}`, runner, 'throughput', [
          ...['--task', task, '--n', quick ? t.quickN : t.n, '--jobs', jobs, '--warmup', 4],
          ...(RUNNERS[runner].floor ? ['--batch', 1, '--inflight', 2] : []),
        ]),
      ),
    ),
  );
  const moved = jobsList.flatMap((jobs) =>
    MOVERS.map((runner) =>
      sampleCase(`${runner}/ta-move/j${jobs}`, runner, 'throughput', [
        ...['--task', 'ta', '--move', 1, '--n', quick ? TASKS.ta.quickN : TASKS.ta.n, '--jobs', jobs, '--warmup', 4],
        ...(RUNNERS[runner].floor ? ['--batch', 1, '--inflight', 2] : []),
      ]),
    ),
  );
  const bytes = Object.fromEntries(Object.keys(TASKS).map((task) => [task, bytesPerItem(task)]));
  bytes['ta-move'] = bytes.ta;
  return { runs: 3, cases: [...cases, ...moved], bytes };
}

function report(samples, { jobsList, bytes }) {
  const mbs = (runner, task, jobs) =>
    samples[`${runner}/${task}/j${jobs}`].map((s) => (s.n * bytes[task]) / 2 ** 20 / (s.ms / 1000));
  const f0 = fixed(0);
  const sections = jobsList.flatMap((jobs) =>
    Object.entries(TASKS).map(([task, t]) => {
      const rows = ORDER.map((runner) => [
        RUNNERS[runner].label,
        cell(mbs(runner, task, jobs), f0),
        RUNNERS[runner].mtl
          ? '—'
          : cell(
              perRound(mbs(mtlOf(runner), task, jobs), mbs(runner, task, jobs), (m, x) => m / x),
              ratio,
            ),
        RUNNERS[runner].floor || runner === 'p-map'
          ? '—'
          : cell(
              perRound(mbs(runner, task, jobs), mbs(floorOf(runner), task, jobs), (x, f) => x / f),
              ratio,
            ),
      ]);
      const n = samples[`mtl-threads/${task}/j${jobs}`][0].n;
      const header = ['runner', 'MB/s', 'mtl ÷ runner', 'runner ÷ raw floor'];
      return `## ${t.label}: ${n} items of ${(bytes[task] / 2 ** 20).toFixed(2)} MB, ${jobs} workers\n\n${table(header, rows)}`;
    }),
  );
  const movedSections = jobsList.map((jobs) => {
    const rows = MOVERS.map((runner) => [
      RUNNERS[runner].label,
      cell(mbs(runner, 'ta-move', jobs), f0),
      cell(
        perRound(mbs(runner, 'ta-move', jobs), mbs(runner, 'ta', jobs), (m, c) => m / c),
        ratio,
      ),
      runner === 'mtl-threads'
        ? '—'
        : cell(
            perRound(mbs('mtl-threads', 'ta-move', jobs), mbs(runner, 'ta-move', jobs), (m, x) => m / x),
            ratio,
          ),
    ]);
    const header = ['runner', 'MB/s', 'moved ÷ copied', 'mtl ÷ runner'];
    return `## 1 MB Float64Array, moved (mtl \`transfer()\`, piscina \`move()\`, a transfer list), ${jobs} workers\n\n${table(header, rows)}`;
  });
  const j = jobsList[0];
  const med = (runner, task) => `${f0(median(mbs(runner, task, j)))} MB/s`;
  const peers = ['piscina', 'tinypool-threads', 'tinypool-processes', 'workerpool-threads', 'workerpool-processes'];
  const headline = Object.entries(TASKS).map(([task, t]) => [
    `${t.label}, MB/s`,
    med('mtl-threads', task),
    med('mtl-processes', task),
    peers.map((p) => `${RUNNERS[p].label} ${f0(median(mbs(p, task, j)))}`).join(', '),
    `threads ${med('raw-threads', task)}, fork ${med('raw-fork', task)}`,
  ]);
  headline.push([
    '1 MB Float64Array moved, MB/s',
    med('mtl-threads', 'ta-move'),
    '—',
    `piscina move() ${med('piscina', 'ta-move')}`,
    `threads ${med('raw-threads', 'ta-move')}`,
  ]);
  const rows = Object.keys(TASKS).flatMap((task) =>
    ORDER.filter((r) => r !== 'p-map').map((runner) => {
      const xs = mbs(runner, task, j);
      const label = `${RUNNERS[runner].label}, ${task === 'ta' ? 'typed array' : 'object'}`;
      return {
        label,
        median: median(xs),
        min: Math.min(...xs),
        max: Math.max(...xs),
        text: `${f0(median(xs))} MB/s`,
        mtl: RUNNERS[runner].mtl,
      };
    }),
  );
  const chart = barChart({ title: `Large payloads, ${j} workers`, unit: 'MB/s', log: true, rows });
  const body = `Each item is large; the task returns a number computed from it (\`fixtures/checksum.mjs\`), so what is
measured is moving the inputs to the workers. MB/s = items × bytes per item (structured clone's encoding,
\`v8.serialize\`) / wall time, on a warm pool (after 4 warm-up items), all items submitted at once.

- In the first tables every runner copies (structured clone): nothing is transferred. Process runners use
  \`serialization: 'advanced'\` (json cannot carry a typed array). The last table moves the typed arrays
  instead, where a runner can: the bytes are not copied, the sender's array is left empty.
- The raw floors post one item per message, 2 messages in flight per worker.
- p-map passes the object itself to a function on the main thread (no copy): the cost of the task alone.

${sections.join('\n\n')}

${movedSections.join('\n\n')}

![chart](3-payload.svg)`;
  const movedMbs = median(mbs('mtl-threads', 'ta-move', j));
  const targets = [
    {
      target: 'threads, a 1 MB Float64Array moved with transfer() ≥ 10× the copied one (1449 MB/s in round one)',
      figure: `${f0(movedMbs)} MB/s moved, ${med('mtl-threads', 'ta')} copied in the same rounds (${ratio(median(perRound(mbs('mtl-threads', 'ta-move', j), mbs('mtl-threads', 'ta', j), (m, c) => m / c)))}); piscina move() ${med('piscina', 'ta-move')}`,
      status: verdict(movedMbs >= 14_490),
    },
  ];
  return { body, chart, summary: { headline, targets, chart: true } };
}

export default { file: '3-payload', title: 'Large payloads: MB/s', plan, report };
