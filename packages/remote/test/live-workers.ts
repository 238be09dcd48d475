import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The worker entry of this build: every remote worker of these tests runs it, on whatever host. */
export const workerFile = fileURLToPath(new URL('../dist/mtl-worker.cjs', import.meta.url));

/** The command lines of the live processes of this machine (a zombie has exited: not counted). */
function processes(): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat[stat.lastIndexOf(')') + 2] === 'Z') continue;
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
