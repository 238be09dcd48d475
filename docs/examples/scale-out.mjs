// The program of docs/scale-out.md: one map over workers that a launcher starts, here or on other machines.
//   node docs/examples/scale-out.mjs                        workers on this machine (command([]))
//   sbatch docs/examples/scale-out.sbatch                   one Slurm job step per worker, in an allocation
//   node docs/examples/scale-out.mjs ssh node1:4 node2:4    4 workers on each host, over ssh
import { hostname } from 'node:os';
import { command, fromModule, pqdm, slurm, ssh } from '@mtl/remote';

const [how = 'here', ...hosts] = process.argv.slice(2);
const launcher = how === 'slurm' ? slurm() : how === 'ssh' ? ssh({ hosts }) : command([]);
// Workers on other machines dial this one: listen on every address, and give them this machine's name.
const listen = how === 'here' ? undefined : { host: '0.0.0.0', advertise: hostname() };

// The worker module must be at this same path on every host: a shared file system, or the same image.
const primes = fromModule(new URL('./scale-out-worker.mjs', import.meta.url), 'primesIn');
const ranges = Array.from({ length: 40 }, (_, i) => [i * 25_000, (i + 1) * 25_000]);
const results = await pqdm(ranges, primes, { launcher, listen, desc: 'primes' });

const total = results.reduce((sum, { count }) => sum + count, 0);
const perHost = new Map();
for (const { host } of results) perHost.set(host, (perHost.get(host) ?? 0) + 1);
console.log(`${total.toLocaleString('en')} primes below 1,000,000`);
console.log(`ranges per host: ${[...perHost].map(([host, n]) => `${host} ${n}`).join(', ')}`);
