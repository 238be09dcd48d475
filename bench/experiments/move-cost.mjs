// What limits 1 MB typed arrays crossing to worker threads on this machine: the same maps with the C
// allocator in three states. Node allocates a typed array's bytes with malloc; glibc serves 1 MB either
// from a fresh mmap (unmapped again by the free, a system call) or from its heap. Which one it picks
// depends on whether the process has freed an mmapped chunk yet (glibc then raises its threshold), so
// a benchmark's inputs allocated up front are all mmapped. MALLOC_MMAP_THRESHOLD_ fixes the choice: 64 KiB (every array mmapped), 4 MiB (none).
// Per item: wall time, and the kernel CPU time and page faults of the whole process (all its threads).
// Usage: node bench/experiments/move-cost.mjs [--runs 5] [--n 1000]
//   (a child: --runner raw-threads|mtl-threads --move 0|1 --batch B --n N)
import { writeFileSync } from 'node:fs';
import { runners } from '../cases/runners.mjs';
import { check, inputs } from '../cases/tasks.mjs';
import { caseArgs, interleave, loadNote, machineInfo, median, table } from '../lib/harness.mjs';

const args = caseArgs();
const MB = 2 ** 20;

async function child() {
  const n = Number(args.n);
  const move = args.move === '1';
  const make = await runners[args.runner]();
  const pool = make({ task: 'ta', jobs: 2, batch: Number(args.batch ?? 1), move });
  await pool.map(inputs('ta', 8));
  const xs = inputs('ta', n);
  const expected = move ? xs.map((x) => x[0]) : undefined;
  const before = process.resourceUsage();
  const t = performance.now();
  const results = await pool.map(xs);
  const ms = performance.now() - t;
  const after = process.resourceUsage();
  if (move) {
    for (let i = 0; i < n; i++) if (results[i] !== expected[i] * 2048) throw new Error(`wrong result at ${i}`);
  } else check('ta', xs, results);
  await pool.close();
  const perItem = (x) => x / n;
  console.log(
    JSON.stringify({
      mbs: (n * (xs[0]?.byteLength || MB)) / MB / (ms / 1000),
      wallUs: perItem(ms * 1000),
      sysUs: perItem(after.systemCPUTime - before.systemCPUTime),
      faults: perItem(after.minorPageFault - before.minorPageFault),
    }),
  );
}

function driver() {
  const runs = Number(args.runs ?? 5);
  const n = Number(args.n ?? 1000);
  const ways = [
    { id: 'raw-copy', label: 'raw worker_threads, copied, 1 per message', runner: 'raw-threads', move: 0, batch: 1 },
    { id: 'mtl-copy', label: '@mtl/threads, copied', runner: 'mtl-threads', move: 0, batch: 1 },
    { id: 'raw-move', label: 'raw worker_threads, moved, 1 per message', runner: 'raw-threads', move: 1, batch: 1 },
    {
      id: 'raw-move-32',
      label: 'raw worker_threads, moved, 32 per message',
      runner: 'raw-threads',
      move: 1,
      batch: 32,
    },
    { id: 'mtl-move', label: '@mtl/threads, moved (`transfer()`)', runner: 'mtl-threads', move: 1, batch: 1 },
  ];
  const states = [
    { id: 'default', label: 'as glibc chooses', env: undefined },
    { id: 'mmap', label: 'all mmapped (64 KiB)', env: { MALLOC_MMAP_THRESHOLD_: '65536' } },
    { id: 'heap', label: 'all from the heap (4 MiB)', env: { MALLOC_MMAP_THRESHOLD_: '4194304' } },
  ];
  const cases = ways.flatMap((w) =>
    states.map((s) => ({
      id: `${w.id}/${s.id}`,
      file: 'experiments/move-cost.mjs',
      args: ['--runner', w.runner, '--move', w.move, '--batch', w.batch, '--n', n],
      env: s.env,
    })),
  );
  const samples = interleave(cases, runs);
  const med = (id, key) => median(samples[id].map((s) => s[key]));
  const rows = ways.flatMap((w) =>
    states.map((s) => {
      const id = `${w.id}/${s.id}`;
      return [
        w.label,
        s.label,
        med(id, 'mbs').toFixed(0),
        med(id, 'wallUs').toFixed(0),
        med(id, 'sysUs').toFixed(0),
        med(id, 'faults').toFixed(0),
      ];
    }),
  );
  const header = ['way', 'allocator', 'MB/s', 'µs per item', 'kernel CPU µs per item', 'page faults per item'];
  const markdown = `Command: \`node bench/experiments/move-cost.mjs --runs ${runs} --n ${n}\` (${n} Float64Arrays of 1 MB allocated up front, checksummed by 2 worker threads after 8 warm-up items; medians of ${runs} fresh processes per cell, interleaved; kernel CPU and page faults are the whole process's, all threads)

The allocator's state is set with \`MALLOC_MMAP_THRESHOLD_\`: "as glibc chooses" is what the bench's
payload case (and a program that allocates its inputs before any has been freed) gets.

${table(header, rows)}

${loadNote(samples)}
${machineInfo()}
`;
  process.stdout.write(markdown);
  writeFileSync(new URL('../results/move-cost.md', import.meta.url), markdown);
}

if (args.runner) await child();
else driver();
