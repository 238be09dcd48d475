import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { available, services } from './services.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe.runIf(available('slurm'))('the sbatch script of docs/scale-out.md', () => {
  it('runs as a real batch job, with its workers as job steps, and prints the result', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'mtl-sbatch-')), 'out.txt');
    const env = { ...process.env, ...services.slurm?.env };
    for (const key of Object.keys(env)) if (key.startsWith('SLURM_') && key !== 'SLURM_CONF') delete env[key];
    await promisify(execFile)('sbatch', ['--wait', `--output=${output}`, 'docs/examples/scale-out.sbatch'], {
      cwd: root,
      env,
      timeout: 100_000,
    });
    const printed = readFileSync(output, 'utf8');
    expect(printed).toMatch(/^78,498 primes below 1,000,000$/m);
    expect(printed).toMatch(/^ranges per host: \S+ 40$/m);
  }, 120_000);
});
