import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The worker entry of this build: every remote worker of these tests runs it, on whatever host. */
export const workerFile = fileURLToPath(new URL('../dist/mtl-worker.cjs', import.meta.url));

/** Whether a process runs (a zombie has exited). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** The command lines of the live processes of this machine. */
export function processes(): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || !alive(Number(name))) continue;
    try {
      out.push({ pid: Number(name), argv: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone while we looked
    }
  }
  return out;
}

/**
 * The pids of the remote workers running on this machine: node running this build's mtl-worker.cjs,
 * whether started here, by sshd or by slurmstepd (the network-namespace hosts share the process
 * table). Not srun or the shell in between, whose command lines name the file too.
 */
export function workerPids(): number[] {
  return processes()
    .filter(({ argv }) => argv[0] === process.execPath && argv.includes(workerFile))
    .map(({ pid }) => pid);
}

export const liveWorkers = (): number => workerPids().length;
