// Shared by the bench drivers: run a case in a fresh node process, summarise, describe the machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

const benchDir = new URL('..', import.meta.url);

/** Busy CPU ticks of the whole machine, and the ticks of this process and its waited-for children. */
function ticks() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu; // idle and iowait are not busy
  const own = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ').slice(11, 15).map(Number);
  return { busy: user + nice + system + irq + softirq + steal, own: own.reduce((a, b) => a + b, 0) };
}

/** Cores' worth of CPU that other processes used while a case ran: more than this and it runs again. */
const MAX_FOREIGN_CORES = 0.25;
const MAX_RETRIES = 10;

/**
 * Runs `node bench/<file> ...args` in a fresh process and returns the JSON line it printed last.
 * Other work on the machine skews figures on 2 cores: a run during which other processes used more
 * than MAX_FOREIGN_CORES is discarded and repeated (up to `maxRetries` times, 3 s apart); the sample records it.
 */
export function runCase(file, args = [], { maxRetries = MAX_RETRIES, env } = {}) {
  let retries = 0;
  for (;;) {
    const before = ticks();
    const t0 = performance.now();
    const out = execFileSync(process.execPath, [new URL(file, benchDir).pathname, ...args.map(String)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 300_000,
      env: env && { ...process.env, ...env },
    });
    const after = ticks();
    const seconds = (performance.now() - t0) / 1000;
    const foreign = (after.busy - before.busy - (after.own - before.own)) / 100 / seconds;
    if (foreign <= MAX_FOREIGN_CORES || retries >= maxRetries) {
      return { ...JSON.parse(out.trim().split('\n').at(-1)), foreignCores: Number(foreign.toFixed(2)), retries };
    }
    retries++;
    execFileSync('sleep', ['3']);
  }
}

/** `--key value` pairs of a case's command line, as an object of strings. */
export function caseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  return args;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** "median (min–max)" of a list of numbers, with a formatter. */
export const summary = (xs, fmt) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

export const rate = (x) =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);
export const ratio = (x) => `${x.toFixed(2)}×`;
export const ms = (x) => x.toFixed(0);

/** The installed version of a dependency of the bench package (read from bench/node_modules). */
export const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, benchDir), 'utf8')).version;

/** Node, CPU and package versions (a line only when there are packages), as markdown lines. */
export function machineInfo(packages = []) {
  const cpu = cpus();
  const versions = packages.map((name) => `${name} ${versionOf(name)}`).join(', ');
  const git = (...args) => execFileSync('git', args, { cwd: benchDir, encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain', '--', '../packages') ? ' + uncommitted changes in packages/' : '';
  return [
    `- mtl: commit ${git('rev-parse', '--short', 'HEAD')}${dirty} (packages/*/dist as built then)`,
    `- Node ${process.version}, ${process.platform} ${process.arch}`,
    `- CPU: ${cpu[0]?.model.trim()} × ${cpu.length} cores`,
    ...(packages.length ? [`- packages: ${versions}`] : []),
    `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  ].join('\n');
}

/**
 * Interleaves `runs` rounds of every case (each in a fresh process, with the case's `env` added to this
 * one's) and returns the samples per case.
 */
export function interleave(cases, runs, log = (s) => process.stderr.write(s), options = {}) {
  const samples = Object.fromEntries(cases.map((c) => [c.id, []]));
  for (let r = 0; r < runs; r++) {
    log(`run ${r + 1}/${runs}:`);
    for (const c of cases) {
      const sample = runCase(c.file, c.args, { ...options, env: c.env });
      samples[c.id].push(sample);
      log(` ${c.id}${sample.retries ? ` (retried ×${sample.retries})` : ''}`);
    }
    log('\n');
  }
  return samples;
}

/** A line on how quiet the machine was: retried runs, and samples kept although others were busy. */
export function loadNote(samples) {
  const all = Object.values(samples).flat();
  const retried = all.reduce((sum, s) => sum + s.retries, 0);
  const loud = all.filter((s) => s.foreignCores > MAX_FOREIGN_CORES).length;
  return `- quiet-machine check: ${retried} run(s) repeated because other processes used > ${MAX_FOREIGN_CORES} core meanwhile; ${loud} of ${all.length} samples kept under such load.`;
}

/** A markdown table from a header row and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}
