// (e) What tinypool adds per message over a bare worker_threads round trip: 1 worker, the same handler,
// one item or 64 items per message, 1 or 2 messages in flight. Each figure from a fresh process.
// Usage: node bench/experiments/message-overhead.mjs [--runs 5]      (a child: --case raw|tinypool ...)
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { caseArgs, interleave, loadNote, machineInfo, median, summary, table } from '../lib/harness.mjs';

const args = caseArgs();
const fixture = (name) => new URL(`../fixtures/${name}.mjs`, import.meta.url);

/** A function that sends one message and resolves with the reply. */
async function connect(kind) {
  if (kind === 'tinypool') {
    const { default: Tinypool } = await import('tinypool');
    const pool = new Tinypool({
      filename: fixture('square-any').href,
      minThreads: 1,
      maxThreads: 1,
      concurrentTasksPerWorker: 2,
    });
    return { send: (x) => pool.run(x), close: () => pool.destroy() };
  }
  const worker = new Worker(fixture('raw-worker'));
  const waiting = new Map();
  let nextId = 0;
  worker.on('message', ({ id, r }) => {
    waiting.get(id)(r);
    waiting.delete(id);
  });
  return {
    send: (x) =>
      new Promise((resolve) => {
        waiting.set(nextId, resolve);
        worker.postMessage({ id: nextId++, x });
      }),
    close: () => worker.terminate(),
  };
}

async function child() {
  const batch = Number(args.batch);
  const inflight = Number(args.inflight);
  const messages = Number(args.messages ?? 20_000);
  const { send, close } = await connect(args.case);
  const payload = batch === 1 ? 3 : Array.from({ length: batch }, (_, i) => i);
  const pump = async (count) => {
    let left = count;
    const lane = async () => {
      while (left-- > 0) await send(payload);
    };
    await Promise.all(Array.from({ length: inflight }, lane));
  };
  await pump(1000);
  const t0 = performance.now();
  await pump(messages);
  const us = ((performance.now() - t0) * 1000) / messages;
  await close();
  console.log(JSON.stringify({ us }));
}

function driver() {
  const runs = Number(args.runs ?? 5);
  const shapes = [
    [1, 1],
    [1, 2],
    [64, 1],
    [64, 2],
  ];
  const cases = shapes.flatMap(([batch, inflight]) =>
    ['raw', 'tinypool'].map((kind) => ({
      id: `${kind}/${batch}/${inflight}`,
      file: 'experiments/message-overhead.mjs',
      args: ['--case', kind, '--batch', batch, '--inflight', inflight],
    })),
  );
  const samples = interleave(cases, runs);
  const us = (id) => samples[id].map((s) => s.us);
  const f = (x) => x.toFixed(1);
  const rows = shapes.map(([batch, inflight]) => {
    const raw = us(`raw/${batch}/${inflight}`);
    const tp = us(`tinypool/${batch}/${inflight}`);
    const extra = tp.map((x, i) => x - raw[i]);
    return [
      `${batch} item${batch > 1 ? 's' : ''}/message, ${inflight} in flight`,
      summary(raw, f),
      summary(tp, f),
      f(median(extra)),
    ];
  });
  const markdown = `Command: \`node bench/experiments/message-overhead.mjs --runs ${runs}\` (1 worker, 20,000 messages after 1,000 warm-up; µs per message, median (min–max) of ${runs} fresh processes)

${table(['shape', 'raw worker_threads', 'tinypool run()', 'tinypool − raw (median of run-by-run differences)'], rows)}

${loadNote(samples)}
${machineInfo(['tinypool'])}
`;
  process.stdout.write(markdown);
  writeFileSync(new URL('../results/message-overhead.md', import.meta.url), markdown);
}

if (args.case) await child();
else driver();
