// How to talk to a worker process spawned by execa: the subprocess's own send()/'message' (with execa's
// `ipc: true`, which also runs execa's own loop over every message, or `ipc: false` and an 'ipc' stdio
// slot, the channel left to us), or execa's sendMessage()/getEachMessage(); 'advanced' vs 'json'.
// Reports the wall time and the parent's CPU time per message.
// Run: node bench/experiments/execa-ipc.mjs [--runs 5]   (prints a markdown table)
import { execaNode } from 'execa';

const child = new URL('../fixtures/execa-echo.mjs', import.meta.url).pathname;
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const MESSAGES = 4000;

async function measure(api, serialization, batch) {
  const subprocess = execaNode(child, [api], {
    ...(api === 'channel' ? { ipc: false, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] } : { ipc: true }),
    serialization,
    ...(api === 'channel' ? {} : { stdout: 'ignore', stderr: 'inherit' }),
    reject: false,
    buffer: false,
  });
  const payload = Array.from({ length: batch }, (_, i) => i);
  let received = 0;
  let sent = 0;
  const send = (msg) => (api === 'execa' ? subprocess.sendMessage(msg).catch(() => {}) : subprocess.send(msg));
  // Two messages in flight, as the scheduler keeps them: the next goes out when a reply comes in.
  const sendNext = () => {
    if (sent < MESSAGES) {
      sent++;
      send({ t: 'run', x: payload });
    }
  };
  const done = new Promise((resolve) => {
    const onMessage = () => {
      if (++received === MESSAGES) resolve();
      else sendNext();
    };
    if (api !== 'execa') subprocess.on('message', onMessage);
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
  const cpu0 = process.cpuUsage();
  sendNext();
  sendNext();
  await done;
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  subprocess.kill();
  await subprocess;
  return {
    usPerMessage: (ms * 1000) / MESSAGES,
    cpuUsPerMessage: (cpu.user + cpu.system) / MESSAGES,
    itemsPerSecond: Math.round((MESSAGES * batch * 1000) / ms),
  };
}

const cases = [];
for (const api of ['channel', 'plain', 'execa'])
  for (const serialization of ['advanced', 'json'])
    for (const batch of [1, 64]) cases.push({ api, serialization, batch });
const samples = new Map(cases.map((c) => [JSON.stringify(c), []]));
for (let r = 0; r < runs; r++)
  for (const c of cases) samples.get(JSON.stringify(c)).push(await measure(c.api, c.serialization, c.batch));
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const apiLabel = {
  channel: 'subprocess.send / on(message), `ipc: false` + stdio ipc',
  plain: 'subprocess.send / on(message), `ipc: true`',
  execa: 'execa sendMessage / getEachMessage',
};
console.log(
  `| API | serialization | items/message | µs per message | parent CPU µs per message | items/s |\n|---|---|---:|---:|---:|---:|`,
);
for (const c of cases) {
  const s = samples.get(JSON.stringify(c));
  console.log(
    `| ${apiLabel[c.api]} | ${c.serialization} | ${c.batch} | ${median(s.map((x) => x.usPerMessage)).toFixed(1)} | ${median(s.map((x) => x.cpuUsPerMessage)).toFixed(1)} | ${median(s.map((x) => x.itemsPerSecond)).toLocaleString('en')} |`,
  );
}
console.log(`\n${runs} runs, median; ${MESSAGES} messages each, 2 in flight; Node ${process.version}`);
