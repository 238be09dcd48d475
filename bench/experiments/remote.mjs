// @mtl/remote on this one machine, against @mtl/processes and a raw socket floor: trivial items/s and the
// caller's CPU per item; CPU tasks against the ideal; and the time to start N workers under each launcher
// (command, ssh, srun). Each figure from a fresh process; the ssh and srun rows need the test services
// (bash scripts/services/services.sh start) and are left out without them.
// Usage: node bench/experiments/remote.mjs [--runs 3]       (a child: --case ... --runner ...)
// @mtl/remote is imported from its dist/ by path, so that the bench package needs no new dependency.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultSerializer, deserialize } from 'node:v8';
import burn from '../fixtures/burn.mjs';
import square from '../fixtures/square.mjs';
import { caseArgs, interleave, loadNote, machineInfo, ms, rate, summary, table } from '../lib/harness.mjs';

const args = caseArgs();
const services = (() => {
  const file = '/tmp/mtl-services/services.json';
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
})();
const sshConfig = services.ssh?.config;
const controlPath = '/tmp/mtl-services/ssh/bench-cm-%C';

/** A pool of 2 (or `jobs`) workers on the runner under test. */
async function pool(runner, worker, jobs = 2) {
  if (runner === 'processes') {
    const { Pool } = await import('@mtl/processes');
    return new Pool(worker, { nJobs: jobs, inline: false, disable: true });
  }
  const remote = await import('../../packages/remote/dist/index.js');
  const half = Math.ceil(jobs / 2);
  const launcher =
    runner === 'remote-command'
      ? remote.command([])
      : runner === 'remote-srun'
        ? remote.slurm()
        : remote.ssh({
            hosts: [`mtl-a:${half}`, `mtl-b:${half}`],
            sshArgs: [
              '-F',
              sshConfig,
              ...(runner === 'remote-ssh-cm' ? ['-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath}`] : []),
            ],
          });
  // inline: false, so that nJobs: 1 is one real worker, not the map in this thread.
  return new remote.Pool(worker, { nJobs: jobs, inline: false, launcher, disable: true });
}

const cpuTime = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** The raw floor: 2 child processes on a TCP socket each, length-prefixed v8 frames of 1,024 items, 2 in flight. */
async function rawSocket(n) {
  const xs = Array.from({ length: n }, (_, i) => i);
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const children = [0, 1].map(() =>
    spawn(process.execPath, [new URL(import.meta.url).pathname, '--case', 'raw-socket-worker', '--port', port], {
      stdio: 'inherit',
    }),
  );
  const sockets = await new Promise((resolve) => {
    const got = [];
    server.on('connection', (socket) => {
      socket.setNoDelay(true);
      got.push(socket);
      if (got.length === 2) resolve(got);
    });
  });
  const batch = 1024;
  const out = new Array(n);
  let next = 0;
  const t0 = performance.now();
  const c0 = cpuTime();
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve) => {
          let inflight = 0;
          const send = () => {
            if (next >= n) return inflight === 0 && resolve();
            const start = next;
            next += batch;
            inflight++;
            socket.write(encode({ start, items: xs.slice(start, start + batch) }));
          };
          frames(socket, ({ start, values }) => {
            for (let i = 0; i < values.length; i++) out[start + i] = values[i];
            inflight--;
            send();
          });
          send();
          send();
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const callerCpuMs = cpuTime() - c0;
  for (const socket of sockets) socket.destroy();
  server.close();
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  if (out[n - 1] !== (n - 1) ** 2) throw new Error('raw socket: wrong result');
  return { itemsPerSecond: n / seconds, callerCpuUsPerItem: (callerCpuMs * 1000) / n };
}

function encode(message) {
  const serializer = new DefaultSerializer();
  serializer.writeRawBytes(Buffer.alloc(4));
  serializer.writeHeader();
  serializer.writeValue(message);
  const bytes = serializer.releaseBuffer();
  bytes.writeUInt32BE(bytes.length - 4, 0);
  return bytes;
}

function frames(socket, onMessage) {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const end = 4 + pending.readUInt32BE(0);
      onMessage(deserialize(pending.subarray(4, end)));
      pending = pending.subarray(end);
    }
  });
}

async function child() {
  const n = Number(args.n ?? 1_000_000);
  if (args.case === 'raw-socket-worker') {
    const socket = connect(Number(args.port), '127.0.0.1');
    socket.setNoDelay(true);
    frames(socket, ({ start, items }) => socket.write(encode({ start, values: items.map(square) })));
    socket.on('close', () => process.exit(0));
    return;
  }
  let result;
  if (args.case === 'trivial' && args.runner === 'raw-socket') result = await rawSocket(n);
  else if (args.case === 'trivial') {
    const p = await pool(args.runner, square);
    const xs = Array.from({ length: n }, (_, i) => i);
    await p.map(xs.slice(0, 1000));
    const t0 = performance.now();
    const c0 = cpuTime();
    const out = await p.map(xs);
    const seconds = (performance.now() - t0) / 1000;
    const callerCpuMs = cpuTime() - c0;
    await p.close();
    if (out[n - 1] !== (n - 1) ** 2) throw new Error(`${args.runner}: wrong result`);
    result = { itemsPerSecond: n / seconds, callerCpuUsPerItem: (callerCpuMs * 1000) / n };
  } else if (args.case === 'cpu') {
    // burn() calibrated to about 5 ms here; the ideal is the sequential time of the tasks over 2 workers.
    let iters = 1e6;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      for (let i = 0; i < 20; i++) burn(iters);
      iters = Math.round((iters * 5 * 20) / (performance.now() - t));
    }
    const tasks = Array.from({ length: 200 }, () => iters);
    const t0 = performance.now();
    for (const x of tasks) burn(x);
    const sequentialMs = performance.now() - t0;
    const p = await pool(args.runner, burn);
    await p.map(tasks.slice(0, 4));
    const t1 = performance.now();
    await p.map(tasks);
    const wallMs = performance.now() - t1;
    await p.close();
    result = { wallMs, idealMs: sequentialMs / 2 };
  } else if (args.case === 'startup') {
    // From `new Pool` to the end of a map whose items wait until all N workers run one: the time to start N.
    const jobs = Number(args.jobs);
    const dir = mkdtempSync(join(tmpdir(), 'mtl-bench-start-'));
    const gather = ({ dir, jobs }) => {
      const fs = process.getBuiltinModule('node:fs');
      fs.writeFileSync(`${dir}/${process.pid}`, '');
      const tick = new Int32Array(new SharedArrayBuffer(4));
      const until = Date.now() + 60_000;
      while (fs.readdirSync(dir).length < jobs && Date.now() < until) Atomics.wait(tick, 0, 0, 2);
      return process.pid;
    };
    const t0 = performance.now();
    const p = await pool(args.runner, gather, jobs);
    await p.map(
      Array.from({ length: 2 * jobs }, () => ({ dir, jobs })),
      { batchSize: 1 },
    );
    const startMs = performance.now() - t0;
    await p.close();
    if (readdirSync(dir).length !== jobs) throw new Error(`${args.runner}: ${readdirSync(dir).length} workers`);
    result = { startMs };
  }
  console.log(JSON.stringify(result));
}

/** An allocation of 16 tasks for the srun rows, its variables set for the children; and how to end it. */
function allocate() {
  const { stderr } = spawnSync('salloc', ['--no-shell', '-n', '16', '-J', 'mtl-bench', '-t', '30'], {
    encoding: 'utf8',
  });
  const jobId = /Granted job allocation (\d+)/.exec(stderr)?.[1];
  if (!jobId) throw new Error(`salloc failed: ${stderr}`);
  Object.assign(process.env, { SLURM_JOB_ID: jobId, SLURM_NTASKS: '16', SLURM_JOB_NUM_NODES: '1' });
  return () => execFileSync('scancel', [jobId]);
}

function driver() {
  const runs = Number(args.runs ?? 3);
  const ssh = services.ssh?.ok;
  const srun = services.slurm?.ok;
  const remoteRunners = ['remote-command', ...(ssh ? ['remote-ssh'] : [])];
  const file = 'experiments/remote.mjs';
  // Workers under sshd or slurmstepd are not this process's children: the harness's quiet-machine check
  // would count their CPU as another program's, so those samples are never repeated.
  const cases = [
    ...['raw-socket', 'processes', ...remoteRunners].map((runner) => ({
      id: `trivial/${runner}`,
      file,
      args: ['--case', 'trivial', '--runner', runner],
    })),
    ...['processes', ...remoteRunners].map((runner) => ({
      id: `cpu/${runner}`,
      file,
      args: ['--case', 'cpu', '--runner', runner],
    })),
    ...[1, 4, 8].flatMap((jobs) =>
      [
        'processes',
        'remote-command',
        ...(ssh ? ['remote-ssh', 'remote-ssh-cm'] : []),
        ...(srun ? ['remote-srun'] : []),
      ].map((runner) => ({
        id: `startup/${runner}/${jobs}`,
        file,
        args: ['--case', 'startup', '--runner', runner, '--jobs', jobs],
      })),
    ),
  ];
  const release = srun ? allocate() : () => {};
  const master = ssh
    ? spawn('ssh', ['-F', sshConfig, '-o', 'ControlMaster=yes', '-o', `ControlPath=${controlPath}`, '-N', 'mtl-a'])
    : undefined;
  const masterB = ssh
    ? spawn('ssh', ['-F', sshConfig, '-o', 'ControlMaster=yes', '-o', `ControlPath=${controlPath}`, '-N', 'mtl-b'])
    : undefined;
  let samples;
  try {
    execFileSync('sleep', ['2']);
    samples = interleave(cases, runs, undefined, { maxRetries: 0 });
  } finally {
    master?.kill();
    masterB?.kill();
    release();
  }
  const names = {
    'raw-socket': 'raw socket floor (2 processes, 1,024 items a frame)',
    processes: '@mtl/processes',
    'remote-command': '@mtl/remote, command([])',
    'remote-ssh': '@mtl/remote, ssh (loopback sshd)',
    'remote-ssh-cm': '@mtl/remote, ssh with a ControlMaster already up',
    'remote-srun': '@mtl/remote, slurm() (srun --exclusive in an allocation)',
  };
  const of = (id, key) => samples[id].map((s) => s[key]);
  const trivial = ['raw-socket', 'processes', ...remoteRunners].map((runner) => [
    names[runner],
    summary(of(`trivial/${runner}`, 'itemsPerSecond'), rate),
    summary(of(`trivial/${runner}`, 'callerCpuUsPerItem'), (x) => x.toFixed(2)),
  ]);
  const cpu = ['processes', ...remoteRunners].map((runner) => {
    const wall = of(`cpu/${runner}`, 'wallMs');
    const pct = samples[`cpu/${runner}`].map((s) => (100 * s.idealMs) / s.wallMs);
    return [names[runner], summary(wall, ms), summary(pct, (x) => `${x.toFixed(1)} %`)];
  });
  const startRunners = [
    'processes',
    'remote-command',
    ...(ssh ? ['remote-ssh', 'remote-ssh-cm'] : []),
    ...(srun ? ['remote-srun'] : []),
  ];
  const startup = startRunners.map((runner) => [
    names[runner],
    ...[1, 4, 8].map((jobs) => summary(of(`startup/${runner}/${jobs}`, 'startMs'), ms)),
  ]);
  const markdown = `# @mtl/remote on one machine

Command: \`node bench/experiments/remote.mjs --runs ${runs}\`, with the test services up
(\`bash scripts/services/services.sh start\`). Median (min–max) of ${runs} fresh processes per cell.
${runs < 5 ? `A short run (${runs} rounds) on a machine shared with other work: read the figures as their order of magnitude.\n` : ''}
## Trivial items: 1,000,000 × \`x => x*x\`, 2 workers, warm pool

The caller's CPU is this process's user + system time during the map, per item (the scheduler, the
copying, the sockets or the IPC channel); the workers' is not in it.

${table(['runner', 'items/s', "caller's CPU µs per item"], trivial)}

## CPU tasks: 200 × \`burn()\` of about 5 ms, 2 workers, warm pool

% of ideal = (sequential time of the 200 tasks in the same process ÷ 2) ÷ wall time. Wall time is what other
work on the machine leaves over, and the harness cannot tell workers under sshd from that other work, so on a
busy machine this table says little; the same rows taken back to back vary by ±30 %.

${table(['runner', 'wall ms', '% of ideal'], cpu)}

## Time to start N workers

From \`new Pool\` to the end of a map of 2N items, each of which waits until all N workers have one
(so every worker has started, connected and been built), in ms. The ssh rows start N/2 workers on each of
two host aliases of the loopback sshd; every ssh login here also runs root's \`~/.bashrc\` (about 0.5 s,
scripts/services/README.md). With a ControlMaster (\`sshArgs: ['-o', 'ControlMaster=auto', '-o',
'ControlPath=…']\`), the sessions share one connection that is already up.

${table(['runner', 'N = 1', 'N = 4', 'N = 8'], startup)}

${loadNote(samples)} (No sample was repeated: workers under sshd and slurmstepd are not children of the sample, so the check would count them as other work.)
${machineInfo()}
`;
  process.stdout.write(markdown);
  writeFileSync(new URL('../results/remote.md', import.meta.url), markdown);
}

if (args.case) await child();
else driver();
