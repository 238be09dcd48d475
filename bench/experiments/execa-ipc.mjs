// How to talk to a worker process spawned by execa: the subprocess's own send()/'message', or
// execa's sendMessage()/getEachMessage(); and 'advanced' vs 'json' serialization.
// Run: node bench/experiments/execa-ipc.mjs [--runs 5]   (prints a markdown table)
import { execaNode } from 'execa';

const child = new URL('../fixtures/execa-echo.mjs', import.meta.url).pathname;
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const MESSAGES = 4000;

async function measure(api, serialization, batch) {
  const subprocess = execaNode(child, [api], {
    ipc: true,
    serialization,
    stdout: 'ignore',
    stderr: 'inherit',
    reject: false,
    buffer: false,
    ipcOutput: false,
  });
  const payload = Array.from({ length: batch }, (_, i) => i);
  let received = 0;
  const done = new Promise((resolve) => {
    const onMessage = () => {
      if (++received === MESSAGES) resolve();
    };
    if (api === 'plain') subprocess.on('message', onMessage);
    else {
      (async () => {
        for await (const _ of subprocess.getEachMessage()) {
          onMessage();
          if (received === MESSAGES) break;
        }
      })().catch(() => {});
    }
  });
  const started = performance.now();
  // Two messages in flight, as the scheduler keeps them.
  let sent = 0;
  const send = (msg) => (api === 'plain' ? subprocess.send(msg) : subprocess.sendMessage(msg));
  const pump = async () => {
    while (sent < MESSAGES) {
      if (sent - received < 2) {
        sent++;
        await send({ t: 'run', x: payload });
      } else await new Promise(setImmediate);
    }
  };
  await Promise.all([pump(), done]);
  const ms = performance.now() - started;
  subprocess.kill();
  await subprocess;
  return { usPerMessage: (ms * 1000) / MESSAGES, itemsPerSecond: Math.round((MESSAGES * batch * 1000) / ms) };
}

const cases = [];
for (const api of ['plain', 'execa'])
  for (const serialization of ['advanced', 'json'])
    for (const batch of [1, 64]) cases.push({ api, serialization, batch });
const samples = new Map(cases.map((c) => [JSON.stringify(c), []]));
for (let r = 0; r < runs; r++)
  for (const c of cases) samples.get(JSON.stringify(c)).push(await measure(c.api, c.serialization, c.batch));
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`| API | serialization | items/message | µs per message | items/s |\n|---|---|---:|---:|---:|`);
for (const c of cases) {
  const s = samples.get(JSON.stringify(c));
  console.log(
    `| ${c.api === 'plain' ? 'subprocess.send / on(message)' : 'execa sendMessage / getEachMessage'} | ${c.serialization} | ${c.batch} | ${median(s.map((x) => x.usPerMessage)).toFixed(1)} | ${median(s.map((x) => x.itemsPerSecond)).toLocaleString('en')} |`,
  );
}
console.log(`\n${runs} runs, median; ${MESSAGES} messages each, 2 in flight; Node ${process.version}`);
