// What a batch boundary costs a worker process when its next batch is already waiting (as mtl's
// prefetch arranges): sending the reply, then one turn of its event loop to read the next batch.
// Raw child_process.fork, advanced serialization, no mtl code. Batches of `--items` busy loops of 5 ms;
// the parent sends two batches at once, then one per reply. 1 worker (the parent has a core of its own)
// and 2 workers (every core busy, as in the CPU case).
// Usage: node bench/experiments/boundary-cost.mjs [--runs 5]      (a child: --workers W --items K)
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { caseArgs, interleave, loadNote, machineInfo, median, table } from '../lib/harness.mjs';

const args = caseArgs();
const BATCHES = 40;
const ITEM_MS = 5;

/** The worker: runs a batch, replies, and returns to its event loop for the next. */
function worker() {
  const rows = [];
  let afterSend = 0;
  const spin = (ms) => {
    const end = performance.now() + ms;
    let x = 1;
    while (performance.now() < end) x = (Math.imul(x, 1664525) + 1013904223) | 0;
    return x;
  };
  process.on('message', ({ items, last }) => {
    const arrived = performance.now();
    if (afterSend) rows.push(arrived - afterSend);
    const values = [];
    for (let i = 0; i < items; i++) values.push(spin(ITEM_MS));
    const before = performance.now();
    process.send({ values });
    afterSend = performance.now();
    rows.push(afterSend - before);
    if (last) process.send({ rows });
  });
}

async function parent() {
  const workers = Number(args.workers);
  const items = Number(args.items);
  const self = fileURLToPath(import.meta.url);
  const results = await Promise.all(
    Array.from({ length: workers }, () => {
      const child = fork(self, ['--role', 'worker'], { serialization: 'advanced' });
      let sent = 0;
      const send = () => child.send({ items, last: ++sent === BATCHES });
      return new Promise((resolve) => {
        child.on('message', (msg) => {
          if (msg.rows) {
            child.disconnect();
            resolve(msg.rows);
          } else if (sent < BATCHES) send();
        });
        send();
        send();
      });
    }),
  );
  // rows alternate: send, turn, send, turn, ... (the first turn, before any reply, is not measured)
  const sends = results.flatMap((rows) => rows.filter((_, i) => i % 2 === 0).slice(2));
  const turns = results.flatMap((rows) => rows.filter((_, i) => i % 2 === 1).slice(2));
  console.log(JSON.stringify({ sendUs: median(sends) * 1000, turnUs: median(turns) * 1000 }));
}

function driver() {
  const runs = Number(args.runs ?? 5);
  const variants = [
    [1, 1],
    [1, 10],
    [1, 20],
    [2, 1],
    [2, 10],
    [2, 20],
  ];
  const cases = variants.map(([workers, items]) => ({
    id: `${workers}w-${items}`,
    file: 'experiments/boundary-cost.mjs',
    args: ['--workers', workers, '--items', items],
  }));
  const samples = interleave(cases, runs);
  const us = (id, key) => median(samples[id].map((s) => s[key]));
  const rows = variants.map(([workers, items]) => {
    const id = `${workers}w-${items}`;
    return [
      String(workers),
      `${items * ITEM_MS} ms`,
      us(id, 'sendUs').toFixed(0),
      us(id, 'turnUs').toFixed(0),
      (us(id, 'sendUs') + us(id, 'turnUs')).toFixed(0),
    ];
  });
  const header = ['workers', 'batch', 'send the reply, µs', 'loop turn to the next batch, µs', 'boundary, µs'];
  const markdown = `Command: \`node bench/experiments/boundary-cost.mjs --runs ${runs}\` (raw \`child_process.fork\`, advanced serialization, ${BATCHES} batches per worker of ${ITEM_MS} ms busy loops; the next batch always waiting; medians of the per-boundary medians of ${runs} fresh processes, interleaved)

What a batch boundary costs a worker process when its next batch has already arrived: sending the
reply (\`process.send\`), then the turn of its event loop that reads the next batch from the pipe.
Neither needs the parent to answer: this is the floor of any scheduler that sends work in messages.

${table(header, rows)}

${loadNote(samples)}
${machineInfo()}
`;
  process.stdout.write(markdown);
  writeFileSync(new URL('../results/boundary-cost.md', import.meta.url), markdown);
}

if (args.role === 'worker') worker();
else if (args.workers) await parent();
else driver();
